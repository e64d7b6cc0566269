import Foundation
import Synchronization

/// Makes UUIDv7 identifiers (RFC 9562): time-ordered, so new rows land at the right end of
/// a B-tree index instead of at random pages, and still unguessable (62 random bits).
///
/// Within one process ids are strictly increasing, also within one millisecond: the 12-bit
/// `rand_a` field is a counter (RFC 9562 §6.2, method 3), seeded at random each new
/// millisecond. So ordering by id orders rows made by one process (the operations of one
/// transaction, say) in the order they were made.
public struct IdentifierGenerator: Sendable {
    private let clock: any WallClock

    /// The last millisecond and counter this process used.
    private static let last = Mutex<(milliseconds: UInt64, counter: UInt16)>((0, 0))

    public init(clock: any WallClock) { self.clock = clock }

    public func next() -> UUID {
        var g = SystemRandomNumberGenerator()
        let now = UInt64(max(0, clock.now().microsecondsSinceEpoch / 1000))
        let (milliseconds, counter) = Self.last.withLock { last in
            if now > last.milliseconds {
                // Leave half the counter's room for ids made later in this millisecond.
                last = (now, UInt16.random(in: 0..<0x800, using: &g))
            } else if last.counter < 0xFFF {
                last.counter += 1
            } else {
                last = (last.milliseconds + 1, 0)
            }
            return last
        }
        return Self.make(milliseconds: milliseconds, counter: counter, using: &g)
    }

    /// The next id as canonical lowercase text, as ids are stored and shown.
    public func nextText() -> String { next().uuidString.lowercased() }

    static func make(milliseconds: UInt64, counter: UInt16, using rng: inout some RandomNumberGenerator) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - i))) }
        let random = rng.next() as UInt64
        for i in 8..<16 { bytes[i] = UInt8(truncatingIfNeeded: random >> (8 * (i - 8))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: counter >> 8) & 0x0F  // version 7, counter high bits
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
    }
}
