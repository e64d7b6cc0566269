import HTTPTypes
import Metrics
import Synchronization

/// Responses by the class of their status, counted once per response at the edge, whatever
/// answered it: a route, a problem, a 404 or a 405; and how long each took, by route, in
/// OpenTelemetry's `http.server.request.duration` (docs/SECURITY.md, "Metrics").
///
/// The counters are created once, when the server is prepared, against the factory it is
/// given (the server's own, never the process-wide `MetricsSystem`), so each is exported at 0
/// before anything has happened, and counting is a lookup and an atomic add. A duration's
/// timer is made the first time its route, method and status meet, then kept: the routes are
/// the server's own templates (never a concrete path), the methods the nine HTTP defines
/// (others are `_OTHER`), so the set is bounded whatever clients send.
public final class ResponseMetrics: Sendable {
    public static let httpResponsesName = "strongroom_http_responses_total"
    public static let statusClasses = ["2xx", "3xx", "4xx", "5xx"]
    /// OpenTelemetry's semantic-convention name; Prometheus shows it as
    /// `http_server_request_duration_seconds` (`PrometheusNaming`).
    public static let requestDurationName = "http.server.request.duration"
    /// In seconds: from a millisecond (a cached read) to ten seconds (the longest a request
    /// may take to arrive).
    public static let requestDurationBuckets: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]
        .map { .milliseconds($0) }

    private static let knownMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .delete, .connect, .options, .trace, .patch]

    /// In the order of `statusClasses`.
    private let responses: [Counter]
    private let factory: any MetricsFactory
    private let durations = Mutex<[DurationKey: Metrics.Timer]>([:])

    private struct DurationKey: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    public init(factory: any MetricsFactory) {
        self.factory = factory
        responses = Self.statusClasses.map {
            Counter(label: Self.httpResponsesName, dimensions: [("status_class", $0)], factory: factory)
        }
    }

    /// One response, by the class of its status (a 1xx, which the edge never answers, counts
    /// as 2xx).
    public func countResponse(status: Int) {
        responses[min(max(status / 100, 2), 5) - 2].increment()
    }

    /// One response's time from its head to its answer, by method, route template (empty when
    /// no route matched) and status.
    public func recordDuration(method: HTTPRequest.Method, route: String?, status: Int, duration: Duration) {
        let key = DurationKey(method: Self.methodName(method), route: route ?? "", status: status)
        let timer = durations.withLock { timers in
            if let timer = timers[key] { return timer }
            let timer = Metrics.Timer(
                label: Self.requestDurationName,
                dimensions: [("http.request.method", key.method), ("http.route", key.route), ("http.response.status_code", "\(key.status)")],
                preferredDisplayUnit: .seconds,
                factory: factory
            )
            timers[key] = timer
            return timer
        }
        timer.record(duration: duration)
    }

    /// The method as OpenTelemetry's conventions name it: one of the nine HTTP defines, else
    /// `_OTHER`, so a client inventing methods cannot grow the metrics.
    public static func methodName(_ method: HTTPRequest.Method) -> String {
        knownMethods.contains(method) ? method.rawValue : "_OTHER"
    }
}
