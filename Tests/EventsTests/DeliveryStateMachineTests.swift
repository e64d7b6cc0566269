import Events
import PropertyBased
import StrongroomKernel
import Testing

/// One delivery's retry schedule: each transition, the 24-hour parking rule over whole
/// schedules, and no input at any time that traps.
@Suite("Delivery state machine")
struct DeliveryStateMachineTests {
    static let start = Timestamp(microsecondsSinceEpoch: 1_765_107_795_000_000)
    static let day: Int64 = 86_400_000_000

    static func at(seconds: Int64) -> Timestamp { start.adding(seconds: seconds) }

    @Test("sent, answered 2xx: delivered; answered otherwise or unanswered: retried within the first second")
    func deliveredAndRetried() {
        var generator = SplitMix64(seed: 1)
        var machine = DeliveryStateMachine()
        #expect(machine.handle(.attemptStarted, at: Self.start, using: &generator) == .sendNow)
        #expect(machine.state == .inFlight && machine.attempts == 1 && machine.windowStart == Self.start)
        #expect(machine.handle(.answered(status: 204), at: Self.at(seconds: 1), using: &generator) == .delivered)
        #expect(machine.state == .delivered)
        #expect(machine.handle(.attemptStarted, at: Self.at(seconds: 2), using: &generator) == .nothing)

        for failure in [DeliveryInput.answered(status: 500), .answered(status: 301), .answered(status: 199), .answered(status: -1), .noAnswer] {
            var machine = DeliveryStateMachine()
            _ = machine.handle(.attemptStarted, at: Self.start, using: &generator)
            let failedAt = Self.at(seconds: 3)
            guard case .retry(let next) = machine.handle(failure, at: failedAt, using: &generator) else {
                Issue.record("\(failure) did not schedule a retry")
                continue
            }
            #expect(next >= failedAt && next <= failedAt.adding(seconds: 1), "\(failure)")
            #expect(machine.state == .retryScheduled(at: next))
        }
    }

    @Test("a retry goes when its time comes, not before")
    func retryComesDue() {
        var generator = SplitMix64(seed: 2)
        var machine = DeliveryStateMachine(restoring: .retryScheduled(at: Self.at(seconds: 10)), attempts: 3, windowStart: Self.start)
        #expect(machine.handle(.attemptStarted, at: Self.at(seconds: 9), using: &generator) == .nothing)
        #expect(machine.handle(.timePassed, at: Self.at(seconds: 9), using: &generator) == .nothing)
        #expect(machine.state == .retryScheduled(at: Self.at(seconds: 10)))
        #expect(machine.handle(.timePassed, at: Self.at(seconds: 10), using: &generator) == .sendNow)
        #expect(machine.state == .waiting)
        #expect(machine.handle(.attemptStarted, at: Self.at(seconds: 11), using: &generator) == .sendNow)
        #expect(machine.attempts == 4 && machine.windowStart == Self.start)
        // A worker may also start a due retry straight from its row.
        var direct = DeliveryStateMachine(restoring: .retryScheduled(at: Self.at(seconds: 10)), attempts: 3, windowStart: Self.start)
        #expect(direct.handle(.attemptStarted, at: Self.at(seconds: 10), using: &generator) == .sendNow)
    }

    @Test("an attempt whose worker died is started again; an answer to nothing in flight changes nothing")
    func abandonedAndLate() {
        var generator = SplitMix64(seed: 3)
        var machine = DeliveryStateMachine()
        _ = machine.handle(.attemptStarted, at: Self.start, using: &generator)
        #expect(machine.handle(.attemptStarted, at: Self.at(seconds: 60), using: &generator) == .sendNow)
        #expect(machine.attempts == 2 && machine.windowStart == Self.start)
        #expect(machine.handle(.discardRequested, at: Self.at(seconds: 61), using: &generator) == .discarded)
        #expect(machine.handle(.answered(status: 200), at: Self.at(seconds: 62), using: &generator) == .nothing)
        #expect(machine.handle(.noAnswer, at: Self.at(seconds: 62), using: &generator) == .nothing)
        #expect(machine.state == .discarded)
        #expect(machine.handle(.discardRequested, at: Self.at(seconds: 63), using: &generator) == .nothing)
    }

    @Test("a parked delivery stays parked until redelivered, which opens a new window, or discarded")
    func parkedByHand() {
        var generator = SplitMix64(seed: 4)
        var machine = DeliveryStateMachine(restoring: .parked, attempts: 40, windowStart: Self.start)
        #expect(machine.handle(.attemptStarted, at: Self.at(seconds: 90_000), using: &generator) == .nothing)
        #expect(machine.handle(.timePassed, at: Self.at(seconds: 90_000), using: &generator) == .nothing)
        #expect(machine.state == .parked)
        #expect(machine.handle(.redeliverRequested, at: Self.at(seconds: 100_000), using: &generator) == .sendNow)
        #expect(machine.state == .waiting && machine.attempts == 0 && machine.windowStart == nil)
        _ = machine.handle(.attemptStarted, at: Self.at(seconds: 100_001), using: &generator)
        #expect(machine.windowStart == Self.at(seconds: 100_001))
        // A failure now is early in the new window: retried, not parked.
        #expect(machine.handle(.noAnswer, at: Self.at(seconds: 100_002), using: &generator) != .parked)
        // A redelivery does not cut into an attempt under way.
        _ = machine.handle(.timePassed, at: Self.at(seconds: 100_010), using: &generator)
        _ = machine.handle(.attemptStarted, at: Self.at(seconds: 100_010), using: &generator)
        #expect(machine.handle(.redeliverRequested, at: Self.at(seconds: 100_011), using: &generator) == .nothing)
        #expect(machine.state == .inFlight)

        var parked = DeliveryStateMachine(restoring: .parked, attempts: 40, windowStart: Self.start)
        #expect(parked.handle(.discardRequested, at: Self.at(seconds: 90_000), using: &generator) == .discarded)
        #expect(parked.handle(.redeliverRequested, at: Self.at(seconds: 90_001), using: &generator) == .sendNow)
    }

    @Test("counts and times at their limits saturate instead of trapping")
    func limits() {
        var generator = SplitMix64(seed: 5)
        var counted = DeliveryStateMachine(restoring: .waiting, attempts: Int.max, windowStart: Self.start)
        #expect(counted.handle(.attemptStarted, at: Self.at(seconds: 1), using: &generator) == .sendNow)
        #expect(counted.attempts == Int.max)
        // The last failure before the window ends, at the end of time: the retry cannot pass either.
        let late = Timestamp(microsecondsSinceEpoch: Int64.max - 10)
        var end = DeliveryStateMachine(restoring: .inFlight, attempts: Int.max, windowStart: late)
        #expect(end.handle(.noAnswer, at: late, using: &generator) == .retry(at: Timestamp(microsecondsSinceEpoch: Int64.max)))
        #expect(end.handle(.timePassed, at: Timestamp(microsecondsSinceEpoch: Int64.max), using: &generator) == .sendNow)
        #expect(DeliveryStateMachine(restoring: .waiting, attempts: -5, windowStart: nil).attempts == 0)
    }

    /// One whole schedule against a receiver that never succeeds (or succeeds at `successAt`),
    /// with answers taking 0–10 s and workers sometimes late (up to two days, an outage of ours).
    static func run(seed: UInt64, start: Timestamp, successAt: Int?) -> (machine: DeliveryStateMachine, attemptTimes: [Timestamp], finalFailure: Timestamp?, retries: [Timestamp]) {
        var generator = SplitMix64(seed: seed)
        var world = SplitMix64(seed: seed ^ 0x5EED)
        var machine = DeliveryStateMachine()
        var now = start
        var attemptTimes: [Timestamp] = []
        var lastFailure: Timestamp?
        var retries: [Timestamp] = []
        for round in 0..<100_000 {
            guard machine.handle(.attemptStarted, at: now, using: &generator) == .sendNow else {
                Issue.record("a due delivery was not sent at round \(round)")
                break
            }
            attemptTimes.append(now)
            now = now.adding(microseconds: Int64.random(in: 0...10_000_000, using: &world))
            if round == successAt {
                _ = machine.handle(.answered(status: 200), at: now, using: &generator)
                break
            }
            lastFailure = now
            let outcome = machine.handle(Bool.random(using: &world) ? .noAnswer : .answered(status: 503), at: now, using: &generator)
            guard case .retry(let next) = outcome else { break }
            retries.append(next)
            let late = UInt64.random(in: 0..<50, using: &world) == 0 ? Int64.random(in: 0...(2 * day), using: &world) : 0
            now = next.adding(microseconds: late)
            _ = machine.handle(.timePassed, at: now, using: &generator)
        }
        return (machine, attemptTimes, lastFailure, retries)
    }

    @Test("a failing delivery parks on the first failure 24 h or more after its first attempt, and never before")
    func parksAfterADay() async {
        await propertyCheck(count: 300, input: Gen.uint64(), Gen.int64(in: -(1 << 50)...(1 << 50))) { seed, offset in
            let start = Timestamp(microsecondsSinceEpoch: offset)
            let (machine, attempts, finalFailure, retries) = Self.run(seed: seed, start: start, successAt: nil)
            #expect(machine.state == .parked)
            guard let finalFailure, let first = attempts.first else { return }
            #expect(machine.windowStart == first)
            let deadline = first.adding(microseconds: Self.day)
            #expect(finalFailure >= deadline, "parked \(finalFailure.microsecondsSinceEpoch - first.microsecondsSinceEpoch) µs after the first attempt")
            // Every attempt but the last was made, and failed, before the deadline; each
            // retry was scheduled no later than the deadline.
            for attempt in attempts.dropLast() {
                #expect(attempt < deadline)
            }
            for retry in retries {
                #expect(retry <= deadline)
            }
        }
    }

    @Test("a delivery the receiver accepts before the day is out is delivered, not parked")
    func deliveredBeforeParking() async {
        await propertyCheck(count: 300, input: Gen.uint64(), Gen.int(in: 0...20)) { seed, successAt in
            let (machine, attempts, finalFailure, _) = Self.run(seed: seed, start: Self.start, successAt: successAt)
            let deadline = Self.start.adding(microseconds: Self.day)
            if machine.state == .parked {
                // Only a worker outage of two days can push an attempt this early past the day.
                #expect(finalFailure.map { $0 >= deadline } == true)
            } else {
                #expect(machine.state == .delivered)
                #expect(attempts.count == successAt + 1)
            }
        }
    }

    static let inputs: [DeliveryInput] = [
        .attemptStarted, .answered(status: 200), .answered(status: 500), .answered(status: Int.min), .answered(status: Int.max),
        .noAnswer, .timePassed, .redeliverRequested, .discardRequested,
    ]

    @Test("no sequence of inputs at any times, the ends of time included, traps or breaks the invariants")
    func anyInputsAnyTimes() async {
        let edgyTimes = zip(Gen.int(in: 0...3), Gen.int64()).map { pick -> Int64 in
            switch pick.0 {
            case 0: Int64.max - (pick.1 & 0xFFFF_FFFF)
            case 1: Int64.min + (pick.1 & 0xFFFF_FFFF)
            default: pick.1
            }
        }
        let steps = zip(Gen.int(in: 0...(Self.inputs.count - 1)), edgyTimes).array(of: 1...60)
        await propertyCheck(count: 2_000, input: steps, Gen.uint64(), Gen.int()) { steps, seed, restoredAttempts in
            var generator = SplitMix64(seed: seed)
            var machine = DeliveryStateMachine(restoring: .inFlight, attempts: restoredAttempts, windowStart: nil)
            for (index, time) in steps {
                let now = Timestamp(microsecondsSinceEpoch: time)
                let before = machine
                let action = machine.handle(Self.inputs[index], at: now, using: &generator)
                #expect(machine.attempts >= 0)
                switch action {
                case .retry(let next):
                    #expect(machine.state == .retryScheduled(at: next))
                    #expect(next >= now)
                case .parked:
                    #expect(machine.parkingTime.map { now >= $0 } == true)
                case .sendNow:
                    #expect(machine.state == .inFlight || machine.state == .waiting)
                case .delivered:
                    #expect(machine.state == .delivered)
                case .discarded:
                    #expect(machine.state == .discarded)
                case .nothing:
                    #expect(machine == before)
                }
            }
        }
    }
}
