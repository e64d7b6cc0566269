/// The bounds group commit works within: how much one unit of work carries, how many run at
/// once, whether a partial batch waits for more, and how many commands may wait at all.
public struct GroupCommitLimits: Sendable, Equatable {
    /// The queue's bound when configuration names none.
    ///
    /// Each HTTP connection carries one request at a time, and a single posting holds one
    /// place in the queue until its batch is taken: `strongroom bench` at 64 connections
    /// queues at most 64, and `--batch` goes through the batch endpoint, which runs its own
    /// unit of work and never enters this queue. The server's default connection cap (4,096)
    /// bounds the queue before this does, so only a deployment that raises that cap well past
    /// its database's pace meets it, and then a quick 503 is better than a queue that grows
    /// until every request in it has timed out. A queued command holds its decoded body (a
    /// typical transfer's is under 2 KiB), so a full queue of typical transfers is some tens
    /// of MiB.
    public static let defaultMaxQueuedCommands = 16_384

    /// The most commands one unit of work carries.
    public var maxBatch: Int
    /// How many flushes may run at once.
    public var flushes: Int
    /// Whether a batch smaller than `maxBatch` waits (the shell's max-wait linger) for more
    /// commands before it starts; a full one never waits.
    public var lingers: Bool
    /// The most commands that may wait for a flush; a submission beyond it is refused.
    public var maxQueuedCommands: Int

    public init(maxBatch: Int, flushes: Int, lingers: Bool, maxQueuedCommands: Int = Self.defaultMaxQueuedCommands) {
        self.maxBatch = maxBatch
        self.flushes = flushes
        self.lingers = lingers
        self.maxQueuedCommands = maxQueuedCommands
    }

    /// Whether the machine can make progress with these bounds: a batch carries at least one
    /// command, at least one flush runs, and at least one command may wait.
    public var areUsable: Bool { maxBatch >= 1 && flushes >= 1 && maxQueuedCommands >= 1 }
}
