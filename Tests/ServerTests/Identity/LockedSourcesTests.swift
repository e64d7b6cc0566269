import StrongroomKernel
import Testing

@testable import StrongroomServer

/// The in-process memory of locked login sources: it answers only until the lock ends, never
/// extends a lock, and stays bounded.
@Suite("Locked sources")
struct LockedSourcesTests {
    static func at(_ seconds: Int64) -> Timestamp { Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000 + seconds * 1_000_000) }

    @Test func aLockIsRememberedUntilItEnds() {
        let locks = LockedSources()
        #expect(locks.lockedUntil("source:10.0.0.1", now: Self.at(0)) == nil)
        locks.remember("source:10.0.0.1", lockedUntil: Self.at(60), now: Self.at(0))
        #expect(locks.lockedUntil("source:10.0.0.1", now: Self.at(59)) == Self.at(60))
        #expect(locks.lockedUntil("source:10.0.0.2", now: Self.at(59)) == nil)
        #expect(locks.lockedUntil("source:10.0.0.1", now: Self.at(60)) == nil)
    }

    @Test func itStaysBoundedAndDropsExpiredLocksFirst() {
        let locks = LockedSources()
        for n in 0..<LockedSources.capacity { locks.remember("source:\(n)", lockedUntil: Self.at(10), now: Self.at(0)) }
        locks.remember("source:new", lockedUntil: Self.at(100), now: Self.at(5))
        #expect(locks.lockedUntil("source:new", now: Self.at(6)) == nil, "full of live locks: nothing more is remembered")
        locks.remember("source:new", lockedUntil: Self.at(100), now: Self.at(11))
        #expect(locks.lockedUntil("source:new", now: Self.at(12)) == Self.at(100), "the expired ones made room")
    }
}
