import Events
import PropertyBased
import StrongroomKernel
import Testing

/// Per-account order: which deliveries may go now, and whole runs in which a later event of an
/// account never goes before an earlier one that is not yet delivered.
@Suite("Delivery ordering")
struct DeliveryOrderingTests {
    static let now = Timestamp(microsecondsSinceEpoch: 1_765_107_795_000_000)

    static func delivery(_ sequence: Int64, _ key: String?, _ state: DeliveryState) -> OutstandingDelivery {
        OutstandingDelivery(sequence: sequence, orderingKey: key, state: state)
    }

    @Test("only the oldest unfinished delivery of a key may go, and only when it is waiting or due")
    func headOfEachKey() {
        let deliveries = [
            Self.delivery(7, "a", .waiting),
            Self.delivery(3, "a", .waiting),
            Self.delivery(4, "b", .retryScheduled(at: Self.now.adding(seconds: 5))),
            Self.delivery(5, "b", .waiting),
            Self.delivery(6, "c", .parked),
            Self.delivery(8, "c", .waiting),
            Self.delivery(1, "d", .delivered),
            Self.delivery(2, "d", .discarded),
            Self.delivery(9, "d", .waiting),
            Self.delivery(10, "e", .inFlight),
            Self.delivery(11, "e", .waiting),
            Self.delivery(12, "f", .retryScheduled(at: Self.now)),
            Self.delivery(13, "f", .waiting),
        ]
        #expect(DeliveryOrdering.ready(among: deliveries, now: Self.now) == [3, 9, 12])
        // Once b's retry is due, it goes, and still alone.
        #expect(DeliveryOrdering.ready(among: deliveries, now: Self.now.adding(seconds: 5)) == [3, 4, 9, 12])
    }

    @Test("deliveries with no key are independent of each other and of every key")
    func unkeyed() {
        let deliveries = [
            Self.delivery(1, nil, .parked),
            Self.delivery(2, nil, .waiting),
            Self.delivery(3, nil, .inFlight),
            Self.delivery(4, nil, .retryScheduled(at: Self.now.adding(seconds: 1))),
            Self.delivery(5, nil, .retryScheduled(at: Self.now)),
            Self.delivery(6, "a", .parked),
            Self.delivery(7, nil, .waiting),
        ]
        #expect(DeliveryOrdering.ready(among: deliveries, now: Self.now) == [2, 5, 7])
        #expect(DeliveryOrdering.ready(among: [], now: Self.now) == [])
    }

    @Test("for any set of deliveries, nothing ready has an earlier unfinished delivery of its key, and every key's due head is ready")
    func readyRespectsOrder() async {
        await propertyCheck(count: 3_000, input: Gen.uint64(), Gen.int(in: 0...60)) { seed, count in
            var generator = SplitMix64(seed: seed)
            let keys: [String?] = [nil, "a", "b", "c", "d"]
            let states: [DeliveryState] = [
                .waiting, .inFlight, .parked, .delivered, .discarded,
                .retryScheduled(at: Self.now.adding(seconds: -1)), .retryScheduled(at: Self.now.adding(seconds: 1)),
            ]
            // Sequence numbers are unique in the outbox; the extremes are included, in any order.
            let sequences = ([Int64.min, Int64.max] + (-5...100)).shuffled(using: &generator).prefix(count)
            let deliveries = sequences.map { sequence in
                Self.delivery(
                    sequence,
                    keys[Int.random(in: 0..<keys.count, using: &generator)],
                    states[Int.random(in: 0..<states.count, using: &generator)]
                )
            }
            let ready = DeliveryOrdering.ready(among: deliveries, now: Self.now)
            #expect(ready == ready.sorted())
            for key in keys.compactMap({ $0 }) {
                let unfinished = deliveries.filter { $0.orderingKey == key && !$0.state.isFinished }
                let readyOfKey = ready.filter { sequence in unfinished.contains { $0.sequence == sequence } }
                #expect(readyOfKey.count <= 1, "key \(key): \(readyOfKey)")
                guard let head = unfinished.min(by: { $0.sequence < $1.sequence }) else { continue }
                for sequence in readyOfKey {
                    #expect(sequence == head.sequence, "key \(key) let \(sequence) go before \(head.sequence)")
                }
                let due = head.state == .waiting || head.state == .retryScheduled(at: Self.now.adding(seconds: -1))
                #expect(readyOfKey == (due ? [head.sequence] : []), "key \(key)")
            }
        }
    }

    @Test("in whole runs of failing receivers, parking and redelivery, a later event of an account is never sent while an earlier one is undelivered")
    func runsKeepOrder() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var world = SplitMix64(seed: seed)
            var jitter = SplitMix64(seed: ~seed)
            // A short policy, so parking happens within a run: 1 ms doubling to 8 ms, parked after 50 ms.
            guard let policy = RetryPolicy(baseMicroseconds: 1_000, capMicroseconds: 8_000, parkAfterMicroseconds: 50_000) else {
                Issue.record("policy refused")
                return
            }
            let keys: [String?] = [nil, "a", "b", "c"]
            var now = Self.now
            var events: [(sequence: Int64, key: String?, machine: DeliveryStateMachine)] = (1...30).map {
                (Int64($0), keys[Int.random(in: 0..<keys.count, using: &world)], DeliveryStateMachine(policy: policy))
            }
            var firstDelivered: [Int64] = []
            for _ in 0..<5_000 {
                now = now.adding(microseconds: Int64.random(in: 0...3_000, using: &world))
                for index in events.indices {
                    _ = events[index].machine.handle(.timePassed, at: now, using: &jitter)
                }
                // Now and then an operator redelivers or discards a parked event.
                if let parked = events.indices.first(where: { events[$0].machine.state == .parked }), UInt64.random(in: 0..<4, using: &world) == 0 {
                    let input: DeliveryInput = Bool.random(using: &world) ? .redeliverRequested : .discardRequested
                    _ = events[parked].machine.handle(input, at: now, using: &jitter)
                }
                let outstanding = events.map { OutstandingDelivery(sequence: $0.sequence, orderingKey: $0.key, state: $0.machine.state) }
                for sequence in DeliveryOrdering.ready(among: outstanding, now: now) {
                    guard let index = events.firstIndex(where: { $0.sequence == sequence }) else { continue }
                    // The property: nothing earlier of this key is unfinished when this one is sent.
                    if let key = events[index].key {
                        let blocker = events.first { $0.key == key && $0.sequence < sequence && !$0.machine.state.isFinished }
                        #expect(blocker == nil, "\(sequence) of \(key) sent while \(blocker?.sequence ?? 0) was \(String(describing: blocker?.machine.state))")
                    }
                    guard events[index].machine.handle(.attemptStarted, at: now, using: &jitter) == .sendNow else {
                        Issue.record("a ready delivery would not start")
                        continue
                    }
                    // The receiver fails two times in three.
                    let answer: DeliveryInput = UInt64.random(in: 0..<3, using: &world) == 0 ? .answered(status: 200) : .answered(status: 500)
                    if events[index].machine.handle(answer, at: now, using: &jitter) == .delivered {
                        firstDelivered.append(sequence)
                    }
                }
                if events.allSatisfy({ $0.machine.state.isFinished }) { break }
            }
            // Among the delivered, each key's events arrived in order.
            for key in keys.compactMap({ $0 }) {
                let order = firstDelivered.filter { sequence in events.contains { $0.sequence == sequence && $0.key == key } }
                #expect(order == order.sorted(), "key \(key): \(order)")
            }
            #expect(!firstDelivered.isEmpty)
        }
    }
}
