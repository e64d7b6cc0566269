import StrongroomKernel

/// Where one delivery (one event to one subscription) stands. The store keeps it per
/// delivery row; `DeliveryStateMachine` moves it, and `DeliveryOrdering` reads it.
public enum DeliveryState: Hashable, Sendable {
    /// Due: may be sent as soon as its account's order allows. A new delivery starts here,
    /// and so does one redelivered by hand or whose retry time has come.
    case waiting
    /// An attempt has started and its outcome is not known yet.
    case inFlight
    /// The last attempt failed; the next is not before this time.
    case retryScheduled(at: Timestamp)
    /// Failing for the whole parking window: no more attempts until redelivered or
    /// discarded by hand, and its account's later events wait behind it.
    case parked
    /// The receiver answered 2xx. Final unless redelivered by hand.
    case delivered
    /// Given up by hand. Final unless redelivered by hand.
    case discarded

    /// Delivered or discarded: it holds nothing of its account back.
    public var isFinished: Bool {
        switch self {
        case .delivered, .discarded: true
        case .waiting, .inFlight, .retryScheduled, .parked: false
        }
    }
}
