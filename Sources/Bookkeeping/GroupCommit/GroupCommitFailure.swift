/// How a flush failed as a whole, which decides who is answered with its error. (A rule's
/// refusal of one command is not a failure of the flush: it fails only that command.)
public enum GroupCommitFailure: Sendable, Equatable {
    /// The unit of work failed for a reason one of its commands may have caused: each
    /// command is re-run alone, so the error reaches only the one that caused it.
    case wholeBatch
    /// The database is out of reach: every command would fail the same way, each after its
    /// own wait for a connection, so the whole batch is answered with the error at once.
    case unavailable
}
