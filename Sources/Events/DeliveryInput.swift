/// What can happen to a delivery: the delivery worker's observations and the operator's
/// two commands. Each comes with the time it happened (`DeliveryStateMachine.handle`).
public enum DeliveryInput: Hashable, Sendable {
    /// A worker has leased the delivery and is about to send it.
    case attemptStarted
    /// The receiver answered with this HTTP status; 2xx delivers, anything else fails.
    case answered(status: Int)
    /// The attempt got no answer: it timed out, or no connection could be made (refused,
    /// DNS, TLS, an address the outbound rules forbid).
    case noAnswer
    /// The clock moved on: a scheduled retry may have come due.
    case timePassed
    /// An operator asked for the event to be sent again (`…/deliveries/{id}/redeliver`).
    case redeliverRequested
    /// An operator gave the delivery up.
    case discardRequested
}
