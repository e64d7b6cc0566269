/// A stored password hash, tagged with the scheme that made it so the scheme can change
/// without a flag day. Never printed.
public struct PasswordHash: Sendable, Equatable, CustomStringConvertible {
    public let encoded: String

    public init(encoded: String) { self.encoded = encoded }

    public var description: String { "<password hash>" }
}
