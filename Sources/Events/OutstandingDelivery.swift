/// One subscription's delivery of one event, as `DeliveryOrdering` sees it.
public struct OutstandingDelivery: Hashable, Sendable {
    /// The event's place in the outbox: a later event has a larger number.
    public let sequence: Int64
    /// The event's `EventEnvelope.orderingKey`: deliveries with the same key go in sequence
    /// order; nil goes on its own.
    public let orderingKey: String?
    public let state: DeliveryState

    public init(sequence: Int64, orderingKey: String?, state: DeliveryState) {
        self.sequence = sequence
        self.orderingKey = orderingKey
        self.state = state
    }
}
