import Metrics
import Storage
import Synchronization

/// The database pool's use and the waits for its connections, in OpenTelemetry's database
/// client conventions: `db.client.connection.count` by `db.client.connection.state` (`used`,
/// and `idle` where the backend knows it), `db.client.connection.max`, and the histogram
/// `db.client.connection.wait_time` (Prometheus: `db_client_connection_wait_time_seconds`).
///
/// The wait is recorded by the database itself, through the `ConnectionPoolObserver` this
/// hands to `Persistence.open`; the counts are sampled (`RuntimeMetrics`).
final class DatabasePoolMetrics: Sendable {
    static let countName = "db.client.connection.count"
    static let maximumName = "db.client.connection.max"
    static let waitTimeName = "db.client.connection.wait_time"
    static let stateLabel = "db.client.connection.state"
    /// From 100 µs (a free writer, a pooled connection at hand) to 5 s, past the 3 s a request
    /// waits at most for a PostgreSQL connection (`PostgresDatabase.defaultLeaseTimeout`).
    static let waitTimeBuckets: [Duration] = [100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000]
        .map { .microseconds($0) }

    private let factory: any MetricsFactory
    private let used: Gauge
    /// Made at the first sample that knows the idle count, so a backend that cannot tell shows
    /// no idle series rather than a false 0.
    private let idle = Mutex<Gauge?>(nil)
    private let maximum: Gauge
    private let waitTime: Metrics.Timer

    init(factory: any MetricsFactory) {
        self.factory = factory
        used = Gauge(label: Self.countName, dimensions: [(Self.stateLabel, "used")], factory: factory)
        maximum = Gauge(label: Self.maximumName, factory: factory)
        waitTime = Metrics.Timer(label: Self.waitTimeName, preferredDisplayUnit: .seconds, factory: factory)
    }

    /// What the database calls with each lease's wait.
    var observer: ConnectionPoolObserver {
        let waitTime = self.waitTime
        return ConnectionPoolObserver { waitTime.record(duration: $0) }
    }

    func record(_ use: ConnectionPoolUse) {
        used.record(use.used)
        maximum.record(use.maximum)
        guard let idleCount = use.idle else { return }
        let gauge = idle.withLock { gauge in
            if let gauge { return gauge }
            let made = Gauge(label: Self.countName, dimensions: [(Self.stateLabel, "idle")], factory: factory)
            gauge = made
            return made
        }
        gauge.record(idleCount)
    }
}
