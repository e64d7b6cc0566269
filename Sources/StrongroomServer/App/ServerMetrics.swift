import Metrics
import Prometheus
import StrongroomEdge

/// One server's metrics: a Prometheus registry of its own, the series recorded through
/// swift-metrics, and their exposition for `GET /metrics`; with OTLP export on, the same
/// series go to the collector too, through one multiplexing factory.
///
/// Neither backend is installed as the process-wide `MetricsSystem` (which can be bootstrapped
/// once per process): each series is handed the factory explicitly, so a test process that
/// starts many servers keeps each one's counts apart, and nothing a dependency counts through
/// the global system leaks into this exposition.
struct ServerMetrics: Sendable {
    /// The Prometheus text exposition format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    static let spansDroppedName = "strongroom_telemetry_spans_dropped_total"

    /// The buckets of every histogram, by the name it is recorded under (both backends).
    static let durationBuckets: [String: [Duration]] = [
        ResponseMetrics.requestDurationName: ResponseMetrics.requestDurationBuckets,
        CommitMetrics.flushName: CommitMetrics.flushBuckets,
        DatabasePoolMetrics.waitTimeName: DatabasePoolMetrics.waitTimeBuckets,
    ]
    static let valueBuckets: [String: [Double]] = [CommitMetrics.batchSizeName: CommitMetrics.batchSizeBuckets]

    private let registry: PrometheusCollectorRegistry
    /// What every series is made with: the registry's factory, and OTLP's beside it when on.
    let factory: any MetricsFactory
    let security: SecurityMetrics
    let responses: ResponseMetrics
    let commit: CommitMetrics
    /// The database pool's use and waits; its observer goes to `Persistence.open`.
    let pool: DatabasePoolMetrics
    /// Spans the exporter lost: dropped from a full queue, or in a batch the collector did not
    /// take (`TelemetryDiagnostics`).
    let spansDropped: Metrics.Counter

    /// - Parameter otlp: the OTLP exporter's factory, when metrics go to a collector too.
    init(exportingTo otlp: (any MetricsFactory)? = nil) {
        let registry = PrometheusCollectorRegistry()
        var prometheus = PrometheusMetricsFactory(registry: registry)
        prometheus.nameAndLabelSanitizer = PrometheusNaming.sanitize
        prometheus.durationHistogramBuckets = Dictionary(
            uniqueKeysWithValues: Self.durationBuckets.map { (PrometheusNaming.name($0.key), $0.value) }
        )
        prometheus.valueHistogramBuckets = Dictionary(
            uniqueKeysWithValues: Self.valueBuckets.map { (PrometheusNaming.name($0.key), $0.value) }
        )
        let factory: any MetricsFactory = otlp.map { MultiplexMetricsHandler(factories: [prometheus, $0]) } ?? prometheus
        self.registry = registry
        self.factory = factory
        self.security = SecurityMetrics(factory: factory)
        self.responses = ResponseMetrics(factory: factory)
        self.commit = CommitMetrics(factory: factory)
        self.pool = DatabasePoolMetrics(factory: factory)
        self.spansDropped = Metrics.Counter(label: Self.spansDroppedName, factory: factory)
    }

    /// Every series as Prometheus text, one line per series with a `# TYPE` line per family.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
