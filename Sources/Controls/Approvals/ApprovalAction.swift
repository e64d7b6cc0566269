/// What the shell around `ApprovalRequest` must do after an input, in order, in one unit of
/// work with storing the request's new state.
public enum ApprovalAction: Sendable, Hashable {
    /// Store the decision (and audit it).
    case record(ApprovalDecision)
    /// The last approval arrived: carry out what was held (post the transaction, or perform
    /// the administrative action as the maker's, approved by the checkers). Given once in a
    /// request's life.
    case carryOut
    /// The request ended without approval: release the hold on the funds. Given once in a
    /// request's life, and never to a request that was carried out.
    case releaseHold
}
