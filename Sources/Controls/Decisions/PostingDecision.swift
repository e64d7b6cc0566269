/// What the rules say about a posting.
public enum PostingDecision: Sendable, Equatable {
    /// No rule stops or holds it: it posts as it would with no rules.
    case allow
    /// A limit refuses it (422 with the limit's code); nothing is held.
    case refuse(LimitRefusal)
    /// It waits for approvals, its source amount on hold meanwhile.
    case hold(ApprovalHold)
}
