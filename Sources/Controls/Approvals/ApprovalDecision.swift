import StrongroomKernel

/// One decision on a request, as its record keeps it: who, what, when, and the comment.
public struct ApprovalDecision: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable {
        case approve
        case reject
        case withdraw
        /// The request's time ran out; nobody decided it.
        case expire
    }

    public let verdict: Verdict
    /// Nil for an expiry.
    public let by: ApprovalParty?
    public let comment: String?
    public let at: Timestamp

    public init(verdict: Verdict, by: ApprovalParty?, comment: String?, at: Timestamp) {
        self.verdict = verdict
        self.by = by
        self.comment = comment
        self.at = at
    }
}
