/// The version of a key: a key-encryption key of an organization, a blind index key, or a
/// holder's data key. Versions count from 1; a rotation makes the next one, and every version
/// still protecting something stays readable.
public struct KeyVersion: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    /// Nil for 0, which is no version.
    public init?(rawValue: UInt32) {
        guard rawValue >= 1 else { return nil }
        self.rawValue = rawValue
    }

    public static let first = KeyVersion(checked: 1)

    /// The version after this one, or nil past `UInt32.max`.
    public var next: KeyVersion? {
        let (sum, overflow) = rawValue.addingReportingOverflow(1)
        return overflow ? nil : KeyVersion(checked: sum)
    }

    private init(checked rawValue: UInt32) { self.rawValue = rawValue }

    public var description: String { "v\(rawValue)" }

    public static func < (lhs: KeyVersion, rhs: KeyVersion) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Four bytes, most significant first: how a version is stored and bound.
    var bytes: [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: rawValue >> $0) }
    }

    /// The version the four bytes at `offset` spell, or nil when they run past the end or
    /// spell 0.
    static func read(_ bytes: [UInt8], at offset: Int) -> KeyVersion? {
        guard offset >= 0, bytes.count >= 4, offset <= bytes.count - 4 else { return nil }
        var value: UInt32 = 0
        for byte in bytes[offset..<(offset + 4)] {
            value = value << 8 | UInt32(truncatingIfNeeded: byte)
        }
        return KeyVersion(rawValue: value)
    }
}
