import Synchronization

/// One database's count of the connections it has lent out, and the hand-off of each lease's
/// wait to its `ConnectionPoolObserver`. On the hot path (every transaction, every pooled
/// read) it costs one relaxed atomic add at each end of a lease and, when observed, one clock
/// read before and one after the wait and one closure call.
final class ConnectionPoolMeter: Sendable {
    let maximum: Int
    /// Whether every connection of the pool is always open, so that those not used are idle.
    private let alwaysOpen: Bool
    private let observer: ConnectionPoolObserver?
    private let leased = Atomic<Int>(0)

    init(maximum: Int, alwaysOpen: Bool, observer: ConnectionPoolObserver?) {
        self.maximum = maximum
        self.alwaysOpen = alwaysOpen
        self.observer = observer
    }

    /// When a caller asked for a connection; nil when nobody observes the waits.
    func asking() -> ContinuousClock.Instant? {
        observer == nil ? nil : ContinuousClock.now
    }

    /// A caller holds a connection now, having asked at `askedAt`.
    func granted(askedAt: ContinuousClock.Instant?) {
        leased.add(1, ordering: .relaxed)
        if let askedAt, let observer { observer.waited(askedAt.duration(to: ContinuousClock.now)) }
    }

    func released() {
        leased.subtract(1, ordering: .relaxed)
    }

    var use: ConnectionPoolUse {
        let used = leased.load(ordering: .relaxed)
        return ConnectionPoolUse(used: used, idle: alwaysOpen ? max(maximum - used, 0) : nil, maximum: maximum)
    }
}
