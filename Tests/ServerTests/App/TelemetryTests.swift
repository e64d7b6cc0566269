import HTTPTypes
import Logging
import Metrics
import Prometheus
import Synchronization
import StrongroomEdge
import Testing

@testable import StrongroomServer

/// The pure parts of telemetry: its settings as the operator gives them, the names Prometheus
/// shows, and how the exporter's log is read for lost spans. The exporter itself is checked
/// against a real collector by scripts/telemetry-test.
@Suite("Telemetry")
struct TelemetryTests {
    @Test func offUnlessAnEndpointIsGivenAndTheDefaultsAreTheDocumentedOnes() async throws {
        let config = try await ConfigurationLoader.load(flags: [:], environment: [:])
        #expect(!config.telemetry.isEnabled)
        #expect(config.telemetry.sampleRatePercent == 10)
        #expect(config.telemetry.metricsIntervalSeconds == 60)

        let on = try await ConfigurationLoader.load(
            flags: ["otlpEndpoint": "http://127.0.0.1:4318/", "traceSampleRate": "2.5"],
            environment: ["STRONGROOM_OTLP_METRICS_INTERVAL": "5"]
        )
        #expect(on.telemetry.endpoint == "http://127.0.0.1:4318")
        #expect(on.telemetry.tracesURL == "http://127.0.0.1:4318/v1/traces")
        #expect(on.telemetry.metricsURL == "http://127.0.0.1:4318/v1/metrics")
        #expect(on.telemetry.sampleRatePercent == 2.5)
        #expect(on.telemetry.metricsIntervalSeconds == 5)
    }

    @Test(arguments: [
        "127.0.0.1:4318", "ftp://collector", "http://", "http://user:secret@collector:4318", "http://collector:4318/?token=x",
        "not a url",
    ])
    func anEndpointThatIsNoPlainBaseURLIsRefused(endpoint: String) async {
        await #expect(throws: ConfigurationError.self) {
            _ = try await ConfigurationLoader.load(flags: ["otlpEndpoint": endpoint], environment: [:])
        }
    }

    @Test(arguments: ["-1", "100.5", "nan", "inf", "ten"])
    func aSampleRateOutsideZeroToAHundredIsRefused(rate: String) async {
        await #expect(throws: ConfigurationError.self) {
            _ = try await ConfigurationLoader.load(flags: ["traceSampleRate": rate], environment: [:])
        }
    }

    @Test func productionSendsTelemetryOffTheHostOverHTTPSOnly() {
        var settings = TelemetrySettings()
        for local in ["http://127.0.0.1:4318", "http://127.9.9.9:4318", "http://[::1]:4318", "http://localhost:4318", "https://collector"] {
            settings.endpoint = local
            #expect(settings.productionRefusal() == nil, "\(local)")
        }
        for remote in ["http://collector:4318", "http://10.0.0.5:4318", "http://[::2]:4318"] {
            settings.endpoint = remote
            #expect(settings.productionRefusal() != nil, "\(remote)")
        }
    }

    @Test func dottedNamesBecomePrometheusNamesWithTheirUnitAndOwnNamesStay() {
        let (name, labels) = PrometheusNaming.sanitize(
            "http.server.request.duration", [("http.route", "/v1/x"), ("http.request.method", "GET")]
        )
        #expect(name == "http_server_request_duration_seconds")
        #expect(labels.map(\.0) == ["http_route", "http_request_method"])
        #expect(labels.map(\.1) == ["/v1/x", "GET"])
        #expect(PrometheusNaming.name("strongroom_login_attempts_total") == "strongroom_login_attempts_total")
        #expect(PrometheusNaming.name("some.unknown.name") == "some_unknown_name")
    }

    @Test func onlyTheExportersTwoLossLinesCountLostSpans() {
        let processor: Logger.Metadata = ["component": "OTelBatchSpanProcessor"]
        #expect(TelemetryDiagnostics.spansLost(
            message: TelemetryDiagnostics.queueFullMessage, metadata: ["dropped_count": "37", "queue_size": "2048"]
        ) == 37)
        #expect(TelemetryDiagnostics.spansLost(
            message: TelemetryDiagnostics.exportFailedMessage, metadata: processor.merging(["batch_size": "512"]) { $1 }
        ) == 512)
        // The same words from another component (the metrics exporter), or without a usable
        // count, are not lost spans.
        #expect(TelemetryDiagnostics.spansLost(
            message: TelemetryDiagnostics.exportFailedMessage, metadata: ["component": "OTelPeriodicExportingMetricsReader", "batch_size": "3"]
        ) == 0)
        #expect(TelemetryDiagnostics.spansLost(message: TelemetryDiagnostics.queueFullMessage, metadata: ["dropped_count": "-4"]) == 0)
        #expect(TelemetryDiagnostics.spansLost(message: TelemetryDiagnostics.queueFullMessage, metadata: ["dropped_count": "many"]) == 0)
        #expect(TelemetryDiagnostics.spansLost(message: "Exported batch.", metadata: processor.merging(["batch_size": "512"]) { $1 }) == 0)
    }

    @Test func theDiagnosticsHandlerMovesTheCounterFromItsOwnAndTheCallsMetadata() {
        let metrics = ServerMetrics()
        var logger = Logger(label: "otel") { _ in TelemetryDiagnostics(dropped: metrics.spansDropped, server: Logger(label: "test")) }
        logger[metadataKey: "component"] = "OTelBatchSpanProcessor"
        logger[metadataKey: "batch_size"] = "5"
        logger.warning("Failed to export batch.")
        logger.warning("\(TelemetryDiagnostics.queueFullMessage)", metadata: ["dropped_count": "7"])
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains("\(ServerMetrics.spansDroppedName) 12\n"), "\(text)")
    }

    @Test func lossLinesReachTheServersLogOnceAMinuteButAllAreCounted() {
        let metrics = ServerMetrics()
        let seen = CapturedLines()
        let server = Logger(label: "server") { _ in CapturingHandler(lines: seen) }
        let otel = Logger(label: "otel") { _ in TelemetryDiagnostics(dropped: metrics.spansDropped, server: server) }
        for _ in 0..<10 {
            otel.warning("\(TelemetryDiagnostics.queueFullMessage)", metadata: ["dropped_count": "3"])
            otel.warning("Some other warning.")
        }
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains("\(ServerMetrics.spansDroppedName) 30\n"), "\(text)")
        #expect(seen.messages.filter { $0 == TelemetryDiagnostics.queueFullMessage }.count == 1)
        #expect(seen.messages.filter { $0 == "Some other warning." }.count == 10)
    }

    @Test func unknownMethodsAreOneSeriesAndUnmatchedRoutesHaveNoTemplate() {
        #expect(ResponseMetrics.methodName(.post) == "POST")
        #expect(ResponseMetrics.methodName(HTTPRequest.Method("BREW")!) == "_OTHER")
        let metrics = ServerMetrics()
        for method in ["BREW", "FROTH", "STEAM"] {
            metrics.responses.recordDuration(method: HTTPRequest.Method(method)!, route: nil, status: 404, duration: .milliseconds(1))
        }
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let counts = text.split(separator: "\n").filter { $0.hasPrefix("http_server_request_duration_seconds_count") }
        #expect(counts == [#"http_server_request_duration_seconds_count{http_request_method="_OTHER",http_route="",http_response_status_code="404"} 3"#])
    }
}

/// The messages that reached a log.
private final class CapturedLines: Sendable {
    private let lines = Mutex<[String]>([])
    var messages: [String] { lines.withLock { $0 } }
    func append(_ message: String) { lines.withLock { $0.append(message) } }
}

/// Keeps each line's message, for what reaches the server's log.
private struct CapturingHandler: LogHandler {
    let lines: CapturedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(event.message.description)
    }
}
