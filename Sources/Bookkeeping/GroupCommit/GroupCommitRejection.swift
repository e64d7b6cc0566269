/// Why a submission was refused without being queued (a 503 at the edge: retry shortly).
public enum GroupCommitRejection: Sendable, Equatable {
    /// `GroupCommitLimits.maxQueuedCommands` commands already wait.
    case queueFull
    /// Shutdown has begun: what was queued is still flushed, nothing new is taken.
    case shuttingDown
}
