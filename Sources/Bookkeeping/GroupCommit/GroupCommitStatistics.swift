/// What group commit has flushed since it started. A batch re-run one command at a time
/// after an error of the whole batch counts once, as the batch it was.
public struct GroupCommitStatistics: Sendable, Equatable {
    public var batches: Int
    public var items: Int
    public var largestBatch: Int

    public init(batches: Int = 0, items: Int = 0, largestBatch: Int = 0) {
        self.batches = batches
        self.items = items
        self.largestBatch = largestBatch
    }
}
