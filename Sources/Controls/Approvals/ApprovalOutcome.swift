import StrongroomKernel

/// What one input to an approval request produced: the actions to perform and, when the
/// input itself was refused, the refusal to answer. Both may be present: an approval that
/// arrives after the request's time ran out expires it (record, release) and is refused.
public struct ApprovalOutcome: Sendable, Equatable {
    public let actions: [ApprovalAction]
    public let refusal: StrongroomError?

    public init(actions: [ApprovalAction] = [], refusal: StrongroomError? = nil) {
        self.actions = actions
        self.refusal = refusal
    }

    /// Nothing happened: an expiry asked for before the request's time.
    public static let nothing = ApprovalOutcome()

    static func refused(_ code: ErrorCode, _ detail: String, after actions: [ApprovalAction] = []) -> ApprovalOutcome {
        ApprovalOutcome(actions: actions, refusal: StrongroomError(code, detail))
    }
}
