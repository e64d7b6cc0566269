import Logging
import Metrics
import OTel
import ServiceLifecycle
import StrongroomEdge
import Tracing

/// The server's OpenTelemetry backends: the OTLP/HTTP exporters of metrics and traces, made
/// from `TelemetrySettings` (docs/ARCHITECTURE.md, "Telemetry"). This is the one file that
/// knows OpenTelemetry; every other part of the server records through swift-metrics and
/// starts spans through swift-distributed-tracing.
///
/// Made once per process, by `ServerApp.serve`: the tracer becomes the process's
/// `InstrumentationSystem` tracer, which can be installed once (a test process that starts
/// many servers installs none, and their spans go nowhere). The background services (batching,
/// export, shutdown flush) run beside the HTTP server and stop after it.
struct Telemetry: Sendable {
    /// The metrics exporter's factory, for `ServerMetrics` to multiplex with its registry.
    let metricsFactory: any MetricsFactory
    private let settings: TelemetrySettings
    private let logger: Logger
    private let services: [any Service]

    /// Nil when no endpoint is configured. Makes the metrics exporter; the tracer comes after
    /// the metrics exist (`startTracing`), because it counts its lost spans in them.
    init?(_ settings: TelemetrySettings, logger: Logger) throws {
        guard settings.isEnabled else { return nil }
        let metrics = try OTel.makeMetricsBackend(configuration: Self.configuration(settings, diagnostics: logger))
        self.metricsFactory = metrics.factory
        self.settings = settings
        self.logger = logger
        self.services = [metrics.service]
    }

    /// Makes the tracer and installs it as the process's; returns what the edge needs to
    /// make each request a span, and every background service to run.
    func startTracing(dropped: Counter) throws -> (tracing: RequestTracing, services: [any Service]) {
        let diagnostics = Logger(label: "otel") { [logger] _ in TelemetryDiagnostics(dropped: dropped, server: logger) }
        let traces = try OTel.makeTracingBackend(configuration: Self.configuration(settings, diagnostics: diagnostics))
        InstrumentationSystem.bootstrap(traces.factory)
        logger.notice("exporting traces and metrics over OTLP/HTTP", metadata: [
            "endpoint": "\(settings.endpoint ?? "")", "trace_sample_rate_percent": "\(settings.sampleRatePercent)",
        ])
        let tracing = RequestTracing(
            tracer: traces.factory, spanIDs: OTel.makeLoggingMetadataProvider(), sampleRate: settings.sampleRatePercent / 100
        )
        return (tracing, services + [traces.service])
    }

    /// What names the current span on every log line (`JSONLogHandler`); nil when tracing is
    /// off, where the edge names the caller's trace itself.
    static func loggingMetadataProvider(_ settings: TelemetrySettings) -> Logger.MetadataProvider? {
        settings.isEnabled ? OTel.makeLoggingMetadataProvider() : nil
    }

    /// The exporters' configuration: OTLP/HTTP with protobuf to the endpoint, W3C trace
    /// context only, every span recorded (the edge has decided which requests are traced,
    /// `RequestTracing`, and makes no span for the others), a bounded span queue, the server's histogram
    /// buckets, and no log export (the JSON log lines are the logs). OpenTelemetry's `OTEL_*`
    /// environment variables, where set, override these (its specification says they win).
    static func configuration(_ settings: TelemetrySettings, diagnostics: Logger) -> OTel.Configuration {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "strongroom"
        configuration.diagnosticLogger = .custom(diagnostics)
        configuration.diagnosticLogLevel = .warning
        configuration.propagators = [.traceContext]
        configuration.logs.enabled = false
        configuration.traces.sampler = .parentBasedAlwaysOn
        configuration.traces.batchSpanProcessor.maxQueueSize = TelemetrySettings.spanQueueCapacity
        // The whole queue in one export, and a tick every second: with the defaults (512 spans
        // an export, a tick every 5 s or when the queue is full) the exporter sent one batch
        // of 512 a tick, and at 100 % sampling under the bench dropped 37,000 spans in 20 s.
        configuration.traces.batchSpanProcessor.maxExportBatchSize = TelemetrySettings.spanQueueCapacity
        configuration.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
        // A collector that does not answer costs at most this per batch, and a shutdown at most
        // this once (its final flush): the default 30 s held every stop up by half a minute.
        configuration.traces.batchSpanProcessor.exportTimeout = TelemetrySettings.exportTimeout
        configuration.traces.otlpExporter.timeout = TelemetrySettings.exportTimeout
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.metrics.exportInterval = .seconds(settings.metricsIntervalSeconds)
        configuration.metrics.exportTimeout = min(.seconds(settings.metricsIntervalSeconds), TelemetrySettings.exportTimeout)
        configuration.metrics.otlpExporter.timeout = TelemetrySettings.exportTimeout
        configuration.metrics.otlpExporter.protocol = .httpProtobuf
        configuration.metrics.durationHistogramBuckets = ServerMetrics.durationBuckets
        configuration.metrics.valueHistogramBuckets = ServerMetrics.valueBuckets
        if let traces = settings.tracesURL, let metrics = settings.metricsURL {
            configuration.traces.otlpExporter.endpoint = traces
            configuration.metrics.otlpExporter.endpoint = metrics
        }
        return configuration
    }
}
