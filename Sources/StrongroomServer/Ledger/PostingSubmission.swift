import Bookkeeping

/// One posting request as it travels down to the group commit's flush: everything the flush
/// writes for it, as values. The flush runs the command, and for a success writes the
/// request's audit record and, under an idempotency key, its stored answer, in the unit of
/// work that commits the postings; nothing of the route runs inside that transaction.
struct PostingSubmission: Sendable {
    let command: PostingCommand
    /// The request's audit record in the making: the flush records its success, naming the
    /// ids it created.
    let audit: RequestAudit
    /// Where its answer is stored when it carries an idempotency key; nil when it does not.
    let claim: IdempotencyGate.Claim?
}
