import Prometheus
import StrongroomEdge

/// One server's metrics: a Prometheus registry of its own, the counters registered on it,
/// and their exposition for `GET /metrics`.
///
/// The registry is never installed as the process-wide `MetricsSystem` (which can be
/// bootstrapped once per process): the counters are handed the factory explicitly, so a
/// test process that starts many servers keeps each one's counts apart, and nothing a
/// dependency counts through the global system leaks into this exposition.
struct ServerMetrics: Sendable {
    /// The Prometheus text exposition format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let registry: PrometheusCollectorRegistry
    let security: SecurityMetrics
    let responses: ResponseMetrics
    let commit: CommitMetrics

    init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        self.security = SecurityMetrics(factory: PrometheusMetricsFactory(registry: registry))
        self.responses = ResponseMetrics(factory: PrometheusMetricsFactory(registry: registry))
        self.commit = CommitMetrics(registry: registry)
    }

    /// Every series as Prometheus text, one line per series with a `# TYPE` line per family.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
