import StrongroomKernel
import Synchronization

/// A bounded table of values that each stop being answered at a time of their own: at most
/// `lifetimeMicroseconds` after they were stored, and never at or after the deadline given
/// with them. When full, expired entries are dropped; if it is still full, all of them (a
/// cache may forget, never grow without bound).
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let validUntil: Int64
    }

    let lifetimeMicroseconds: Int64
    let maxEntries: Int
    private let entries = Mutex<[Key: Entry]>([:])
    private let clock: any WallClock

    init(lifetimeMicroseconds: Int64, maxEntries: Int, clock: any WallClock) {
        self.lifetimeMicroseconds = lifetimeMicroseconds
        self.maxEntries = maxEntries
        self.clock = clock
    }

    subscript(key: Key) -> Value? {
        let now = clock.now().microsecondsSinceEpoch
        return entries.withLock { entries in
            guard let entry = entries[key], entry.validUntil > now else { return nil }
            return entry.value
        }
    }

    /// - Parameter deadline: seconds since the epoch after which the value is never answered
    ///   (a token's expiry).
    func store(_ value: Value, for key: Key, until deadline: Int64) {
        let now = clock.now().microsecondsSinceEpoch
        // The deadline comes from a token's `exp`, already checked against the issuer's
        // maximum lifetime; saturating all the same, so no claim can overflow it.
        let (deadlineMicroseconds, overflow) = deadline.multipliedReportingOverflow(by: 1_000_000)
        let validUntil = min(now + lifetimeMicroseconds, overflow ? .max : deadlineMicroseconds)
        entries.withLock { entries in
            if entries.count >= maxEntries {
                entries = entries.filter { $0.value.validUntil > now }
                if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Entry(value: value, validUntil: validUntil)
        }
    }
}
