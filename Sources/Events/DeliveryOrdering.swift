import StrongroomKernel

/// Which of one subscription's deliveries may be sent now, so that each account's events
/// reach it in the order they happened.
///
/// For each ordering key only the oldest unfinished delivery may go, and only when it is
/// waiting or its retry is due: while it is in flight, retrying or parked, every later event
/// of that key waits behind it, never skipped, until it is delivered or discarded (a parked
/// one is redelivered or discarded by hand). Deliveries with no key hold nothing back and
/// are held back by nothing. Delivered and discarded deliveries hold nothing back either.
///
/// Pure: the worker passes the subscription's outstanding deliveries from its store and
/// leases the ones answered. Ordering is per subscription, so one receiver's parked event
/// never holds back another's.
public enum DeliveryOrdering {
    /// The sequence numbers that may be sent at `now`, in ascending order.
    public static func ready(among deliveries: [OutstandingDelivery], now: Timestamp) -> [Int64] {
        var oldestOfKey: [String: OutstandingDelivery] = [:]
        var ready: [Int64] = []
        for delivery in deliveries where !delivery.state.isFinished {
            guard let key = delivery.orderingKey else {
                if isDue(delivery.state, now: now) { ready.append(delivery.sequence) }
                continue
            }
            if let oldest = oldestOfKey[key], oldest.sequence <= delivery.sequence { continue }
            oldestOfKey[key] = delivery
        }
        for oldest in oldestOfKey.values where isDue(oldest.state, now: now) {
            ready.append(oldest.sequence)
        }
        return ready.sorted()
    }

    /// Whether a delivery at the head of its key (or with no key) may be sent now.
    private static func isDue(_ state: DeliveryState, now: Timestamp) -> Bool {
        switch state {
        case .waiting: true
        case .retryScheduled(let at): now >= at
        case .inFlight, .parked, .delivered, .discarded: false
        }
    }
}
