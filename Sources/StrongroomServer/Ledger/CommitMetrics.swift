import Prometheus

/// What an operator reads to see how group commit carries the write load: how many postings
/// each flush carried, and how long each flush took from its first statement to its durable
/// commit. The two together say whether the serial flush is the bottleneck (flush time × flushes
/// per second near 1 s per second) or the requests reach it too slowly (small batches, idle gaps).
struct CommitMetrics: Sendable {
    static let batchSizeBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
    static let flushBuckets: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500].map { .milliseconds($0) }

    private let batchSize: ValueHistogram
    private let flushDuration: DurationHistogram

    init(registry: PrometheusCollectorRegistry) {
        batchSize = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "strongroom", subsystem: "group_commit", metricName: "batch", unitName: "size",
                helpText: "Postings carried by one group-commit flush."
            ),
            buckets: Self.batchSizeBuckets
        )
        flushDuration = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "strongroom", subsystem: "group_commit", metricName: "flush", unitName: "seconds",
                helpText: "One group-commit flush, first statement to durable commit."
            ),
            buckets: Self.flushBuckets
        )
    }

    func recordFlush(items: Int, duration: Duration) {
        batchSize.record(Double(items))
        flushDuration.record(duration)
    }
}
