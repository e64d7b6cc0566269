import Foundation

/// Makes UUIDv7 identifiers (RFC 9562): time-ordered, so new rows land at the right end of
/// a B-tree index instead of at random pages, and still unguessable (74 random bits).
public struct IdentifierGenerator: Sendable {
    private let clock: any WallClock

    public init(clock: any WallClock) { self.clock = clock }

    public func next() -> UUID {
        var g = SystemRandomNumberGenerator()
        return Self.make(milliseconds: UInt64(max(0, clock.now().microsecondsSinceEpoch / 1000)), using: &g)
    }

    /// The next id as canonical lowercase text, as ids are stored and shown.
    public func nextText() -> String { next().uuidString.lowercased() }

    public static func make(milliseconds: UInt64, using rng: inout some RandomNumberGenerator) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - i))) }
        let r1 = rng.next() as UInt64
        let r2 = rng.next() as UInt64
        for i in 6..<16 { bytes[i] = UInt8(truncatingIfNeeded: (i < 11 ? r1 : r2) >> (8 * (i % 8))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
    }
}
