import Hummingbird
import Identity
import NIOCore

/// `GET /metrics`: the server's counters for a Prometheus scraper. Guarded like any other
/// read: a scraper is a machine client in a group holding `metrics:read`, because failed and
/// throttled logins tell an attacker how the throttle sees them.
enum MetricsRoutes {
    static func register(on routes: GuardedRouter, metrics: ServerMetrics) {
        routes.add(.get, "/metrics", access: .permission(.metricsRead)) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: ServerMetrics.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
    }
}
