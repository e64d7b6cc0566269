import StrongroomKernel

/// The retry schedule of one delivery (one event to one subscription), as a value: each
/// input moves the state and answers the action its shell performs. No clock, no generator
/// and no I/O of its own; the shell (the delivery worker, the redeliver route) passes the
/// time and the jitter's generator in, and stores `state`, `attempts` and `windowStart` in
/// the delivery's row between inputs.
///
/// The parking window opens at the first attempt (not when the event was written, so an
/// event held back behind its account's parked one has its full 24 hours once it may go)
/// and reopens on a redelivery by hand. A failure at or after the window's end parks the
/// delivery; a failure before it schedules a retry, never later than the window's end, so
/// the last attempt is made at the end and its failure parks. Time alone never parks: a
/// retry that came due while no worker ran (our outage, not the receiver's) is still made.
public struct DeliveryStateMachine: Hashable, Sendable {
    public private(set) var state: DeliveryState
    /// Attempts started since the window opened (saturating: a count cannot trap).
    public private(set) var attempts: Int
    /// The first attempt since the delivery was created or last redelivered; nil before it.
    public private(set) var windowStart: Timestamp?
    public let policy: RetryPolicy

    /// A new delivery: waiting, never attempted.
    public init(policy: RetryPolicy = .standard) {
        self.init(restoring: .waiting, attempts: 0, windowStart: nil, policy: policy)
    }

    /// A delivery as its row stored it. A negative count reads as zero.
    public init(restoring state: DeliveryState, attempts: Int, windowStart: Timestamp?, policy: RetryPolicy = .standard) {
        self.state = state
        self.attempts = max(0, attempts)
        self.windowStart = windowStart
        self.policy = policy
    }

    /// Applies one input that happened at `now`; `generator` draws the jitter of a retry.
    public mutating func handle(_ input: DeliveryInput, at now: Timestamp, using generator: inout some RandomNumberGenerator) -> DeliveryAction {
        switch (input, state) {
        case (.attemptStarted, .waiting), (.attemptStarted, .inFlight):
            // In flight already: the worker that started it died (its lease ran out) and the
            // outcome will never come; the event goes again, which at-least-once allows.
            return startAttempt(at: now)
        case (.attemptStarted, .retryScheduled(let at)):
            return now >= at ? startAttempt(at: now) : .nothing
        case (.attemptStarted, .parked), (.attemptStarted, .delivered), (.attemptStarted, .discarded):
            return .nothing

        case (.answered(let status), .inFlight) where (200...299).contains(status):
            state = .delivered
            return .delivered
        case (.answered, .inFlight), (.noAnswer, .inFlight):
            return fail(at: now, using: &generator)
        case (.answered, _), (.noAnswer, _):
            // The answer to an attempt that is no longer in flight (discarded meanwhile).
            return .nothing

        case (.timePassed, .retryScheduled(let at)) where now >= at:
            state = .waiting
            return .sendNow
        case (.timePassed, _):
            return .nothing

        case (.redeliverRequested, .inFlight):
            // An attempt is under way; its outcome decides what comes next.
            return .nothing
        case (.redeliverRequested, _):
            state = .waiting
            attempts = 0
            windowStart = nil
            return .sendNow

        case (.discardRequested, .delivered), (.discardRequested, .discarded):
            return .nothing
        case (.discardRequested, _):
            state = .discarded
            return .discarded
        }
    }

    /// When the current window parks a failure: its start plus the policy's window, or nil
    /// before the first attempt. Saturates at the end of time instead of overflowing.
    public var parkingTime: Timestamp? {
        windowStart.map { $0.saturatingAdding(microseconds: policy.parkAfterMicroseconds) }
    }

    private mutating func startAttempt(at now: Timestamp) -> DeliveryAction {
        if windowStart == nil { windowStart = now }
        attempts = attempts == Int.max ? Int.max : attempts + 1
        state = .inFlight
        return .sendNow
    }

    private mutating func fail(at now: Timestamp, using generator: inout some RandomNumberGenerator) -> DeliveryAction {
        // In flight always has a window; should a restored row lack one, this failure opens it.
        let parking = parkingTime ?? now.saturatingAdding(microseconds: policy.parkAfterMicroseconds)
        if windowStart == nil { windowStart = now }
        guard now < parking else {
            state = .parked
            return .parked
        }
        // Each attempt that failed in this window counts: the first failure waits up to 1 s.
        let delay = policy.delayMicroseconds(afterFailures: attempts, using: &generator)
        let next = min(now.saturatingAdding(microseconds: delay), parking)
        state = .retryScheduled(at: next)
        return .retry(at: next)
    }
}

extension Timestamp {
    /// `self` plus `microseconds`, held at the representable ends instead of trapping.
    fileprivate func saturatingAdding(microseconds: Int64) -> Timestamp {
        let (sum, overflow) = microsecondsSinceEpoch.addingReportingOverflow(microseconds)
        guard overflow else { return Timestamp(microsecondsSinceEpoch: sum) }
        return Timestamp(microsecondsSinceEpoch: microseconds > 0 ? Int64.max : Int64.min)
    }
}
