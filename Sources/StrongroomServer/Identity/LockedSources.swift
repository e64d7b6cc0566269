import StrongroomKernel
import Synchronization

/// Source addresses this process has seen locked out of logging in, and until when: a flood
/// from a locked address is answered 429 from memory, with no database read per attempt.
/// Safe because a source's lock is never lifted early (a success clears only the account's
/// counter), so the remembered end is never later than the stored one; other processes
/// still learn of the lock from the shared counters. Bounded: when full, expired entries go,
/// and if none has expired nothing more is remembered (the database still decides).
final class LockedSources: Sendable {
    static let capacity = 10_000
    private let locks = Mutex<[String: Timestamp]>([:])

    /// When the lock of `source` ends, if this process knows it is locked at `now`.
    func lockedUntil(_ source: String, now: Timestamp) -> Timestamp? {
        locks.withLock { locks in
            guard let until = locks[source] else { return nil }
            guard until > now else {
                locks[source] = nil
                return nil
            }
            return until
        }
    }

    func remember(_ source: String, lockedUntil until: Timestamp, now: Timestamp) {
        locks.withLock { locks in
            if locks.count >= Self.capacity, locks[source] == nil {
                locks = locks.filter { $0.value > now }
                guard locks.count < Self.capacity else { return }
            }
            locks[source] = max(until, locks[source] ?? until)
        }
    }
}
