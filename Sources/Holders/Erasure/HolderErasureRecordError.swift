/// Why an erasure record cannot be used. Each case names a line by its number (from 1);
/// none carries the line, though a line holds only ids and a time.
public enum HolderErasureRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a line this format writes: not printable ASCII, not five fields, a time or id not
    /// in its one spelling, or a line (or an unterminated tail) longer than any it writes.
    case malformedLine(Int)
    /// A well-formed line whose MAC is not this master key's: edited, or written under
    /// another master key.
    case lineDoesNotVerify(Int)

    public var description: String {
        switch self {
        case .malformedLine(let number): "line \(number) of the erasure record is not a record line"
        case .lineDoesNotVerify(let number): "line \(number) of the erasure record does not verify with this master key"
        }
    }
}
