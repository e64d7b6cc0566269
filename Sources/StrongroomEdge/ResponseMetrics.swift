import Metrics

/// Responses by the class of their status, counted once per response at the edge, whatever
/// answered it: a route, a problem, a 404 or a 405 (docs/SECURITY.md, "Metrics").
///
/// The series are created once, when the server is prepared, against the factory it is given
/// (the server's own registry, never the process-wide `MetricsSystem`), so each is exported
/// at 0 before anything has happened, and counting is a lookup and an atomic add.
public final class ResponseMetrics: Sendable {
    public static let httpResponsesName = "strongroom_http_responses_total"
    public static let statusClasses = ["2xx", "3xx", "4xx", "5xx"]

    /// In the order of `statusClasses`.
    private let responses: [Counter]

    public init(factory: any MetricsFactory) {
        responses = Self.statusClasses.map {
            Counter(label: Self.httpResponsesName, dimensions: [("status_class", $0)], factory: factory)
        }
    }

    /// One response, by the class of its status (a 1xx, which the edge never answers, counts
    /// as 2xx).
    public func countResponse(status: Int) {
        responses[min(max(status / 100, 2), 5) - 2].increment()
    }
}
