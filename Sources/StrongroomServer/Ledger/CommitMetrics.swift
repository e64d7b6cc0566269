import Metrics

/// What an operator reads to see how group commit carries the write load: how many postings
/// each flush carried, and how long each flush took from its first statement to its durable
/// commit. The two together say whether the serial flush is the bottleneck (flush time × flushes
/// per second near 1 s per second) or the requests reach it too slowly (small batches, idle gaps).
struct CommitMetrics: Sendable {
    static let batchSizeName = "strongroom_group_commit_batch_size"
    static let flushName = "strongroom_group_commit_flush_seconds"
    static let batchSizeBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
    static let flushBuckets: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500].map { .milliseconds($0) }

    private let batchSize: Recorder
    private let flushDuration: Metrics.Timer

    init(factory: any MetricsFactory) {
        batchSize = Recorder(label: Self.batchSizeName, aggregate: true, factory: factory)
        flushDuration = Metrics.Timer(label: Self.flushName, preferredDisplayUnit: .seconds, factory: factory)
    }

    func recordFlush(items: Int, duration: Duration) {
        batchSize.record(items)
        flushDuration.record(duration: duration)
    }
}
