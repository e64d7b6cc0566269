import StrongroomKernel

/// A login name: 3–64 characters of lower-case letters, digits and `._-@`. Folded to lower
/// case on the way in, so `Admin` and `admin` are one account and cannot be two.
public struct Username: Hashable, Sendable, CustomStringConvertible {
    public static let maxLength = 64
    public let value: String

    public init(_ raw: String) throws(StrongroomError) {
        let folded = raw.lowercased()
        guard (3...Self.maxLength).contains(folded.utf8.count),
            folded.utf8.allSatisfy({ Self.allowed($0) })
        else {
            throw StrongroomError(
                .invalidUsername,
                "A username is 3 to 64 characters of letters, digits, '.', '_', '-' and '@'.",
                fields: [.init(field: "username", message: "3 to 64 characters of letters, digits, '.', '_', '-' and '@'")]
            )
        }
        self.value = folded
    }

    /// For values read back from the store, which were validated on the way in.
    public init(trusted value: String) { self.value = value }

    public var description: String { value }

    private static func allowed(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "@"): true
        default: false
        }
    }
}
