import Hummingbird
import Identity
import NIOCore

/// `GET /metrics`: the server's counters for a Prometheus scraper. Guarded like any other
/// read: a scraper is a machine client in a group holding `metrics:read`, because failed and
/// throttled logins tell an attacker how the throttle sees them. The sampled gauges
/// (`RuntimeMetrics`) are read afresh first, so a scrape sees the server as it is now.
enum MetricsRoutes {
    static func register(on routes: GuardedRouter, metrics: ServerMetrics, runtime: RuntimeMetrics) {
        routes.add(.get, "/metrics", access: .permission(.metricsRead)) { _, _ in
            runtime.sample()
            return Response(
                status: .ok,
                headers: [.contentType: ServerMetrics.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
    }
}
