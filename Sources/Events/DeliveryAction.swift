import StrongroomKernel

/// What the shell around `DeliveryStateMachine` must do after an input: record the new
/// state (every action but `nothing` comes with one) and, for `sendNow`, send.
public enum DeliveryAction: Hashable, Sendable {
    /// Send the event now (after `attemptStarted`), or make it available to be sent (after
    /// `timePassed` or a redelivery).
    case sendNow
    /// The attempt failed; try again at this time, not before.
    case retry(at: Timestamp)
    /// The attempt failed and the parking window is over: stop, and hold the account's
    /// later events back.
    case parked
    /// The receiver has it: record the delivery done.
    case delivered
    /// Given up by hand: record it, and let the account's later events go.
    case discarded
    /// The input changes nothing: a retry not yet due, a late answer to an attempt no longer
    /// in flight, a command on a delivery it does not apply to.
    case nothing
}
