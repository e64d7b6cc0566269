import Foundation
import StrongroomEdge

/// Where the server sends its traces and metrics over OTLP/HTTP, and how much it traces
/// (`otlpEndpoint`, `traceSampleRate`, `otlpMetricsInterval`). Off unless an endpoint is given.
public struct TelemetrySettings: Sendable, Equatable {
    public static let defaultSampleRatePercent = 10.0
    public static let defaultMetricsIntervalSeconds = 60
    public static let metricsIntervals = 1...3600
    /// Spans waiting for export beyond this are dropped and counted, never queued without
    /// bound: export must never hold up a request.
    public static let spanQueueCapacity = 2048
    /// The longest one export may take, and so the longest a collector that does not answer
    /// holds up a shutdown.
    public static let exportTimeout = Duration.seconds(5)

    /// The collector's base URL (`http://127.0.0.1:4318`); traces go to `/v1/traces` under it,
    /// metrics to `/v1/metrics`. Nil: nothing is exported.
    public var endpoint: String?
    /// The share of new traces (requests without a sampled `traceparent`) that are recorded,
    /// 0 to 100. A caller's sampled `traceparent` is always followed (parent-based sampling).
    public var sampleRatePercent: Double = Self.defaultSampleRatePercent
    public var metricsIntervalSeconds: Int = Self.defaultMetricsIntervalSeconds

    public init() {}

    public var isEnabled: Bool { endpoint != nil }

    var tracesURL: String? { endpoint.map { $0 + "/v1/traces" } }
    var metricsURL: String? { endpoint.map { $0 + "/v1/metrics" } }

    /// The endpoint as configured, checked: http or https, a host, no credentials in it (a
    /// collector's token goes in `OTEL_EXPORTER_OTLP_HEADERS`, which is never logged), no
    /// query; a trailing slash is dropped.
    static func endpoint(parsing text: String) throws -> String {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw ConfigurationError("otlpEndpoint must be an http:// or https:// URL with a host")
        }
        guard url.user == nil, url.password == nil else {
            throw ConfigurationError("otlpEndpoint must not carry credentials; set OTEL_EXPORTER_OTLP_HEADERS instead")
        }
        guard url.query == nil, url.fragment == nil else {
            throw ConfigurationError("otlpEndpoint must be a base URL, without a query or fragment")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    static func sampleRate(parsing text: String) throws -> Double {
        guard let percent = Double(text), percent.isFinite, (0...100).contains(percent) else {
            throw ConfigurationError("traceSampleRate must be a percentage from 0 to 100")
        }
        return percent
    }

    /// In production, spans and metrics leave the host only encrypted: plain http is for a
    /// collector on this host (loopback) alone.
    func productionRefusal() -> String? {
        guard let endpoint, let url = URLComponents(string: endpoint), url.scheme?.lowercased() == "http" else { return nil }
        let host = (url.host ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if host == "localhost" { return nil }
        if let address = IPAddress(host), Self.isLoopback(address) { return nil }
        return "production sends telemetry off the host over https only: otlpEndpoint is plain http to \(host)"
    }

    /// 127.0.0.0/8 or ::1.
    private static func isLoopback(_ address: IPAddress) -> Bool {
        address.bytes.count == 4 ? address.bytes[0] == 127 : address.bytes == Array(repeating: 0, count: 15) + [1]
    }
}
