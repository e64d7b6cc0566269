import Logging
import Metrics

/// The OpenTelemetry exporter's own log, as the server reads it: its warnings go on to the
/// server's log, and the two that mean spans were lost move `strongroom_telemetry_spans_dropped_total`.
///
/// The exporter counts what it drops but does not publish the count; it logs it, each time its
/// batch processor ticks. So this handler reads that log: "Spans were dropped … because queue
/// was full" with `dropped_count` (the queue of `TelemetrySettings.spanQueueCapacity` was full),
/// and "Failed to export batch." from the batch span processor with `batch_size` (the collector
/// did not take a batch; its spans are not sent again). The telemetry suite checks that the
/// counter moves while the collector is down, so a release of the exporter that words these
/// differently fails a test rather than silently counting nothing.
struct TelemetryDiagnostics: LogHandler {
    static let queueFullMessage = "Spans were dropped this iteration because queue was full"
    static let exportFailedMessage = "Failed to export batch."
    static let spanProcessor = "OTelBatchSpanProcessor"

    let dropped: Counter
    let server: Logger
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    init(dropped: Counter, server: Logger) {
        self.dropped = dropped
        var server = server
        server[metadataKey: "label"] = "otel"
        self.server = server
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let lost = Self.spansLost(message: event.message.description, metadata: all)
        if lost > 0 { dropped.increment(by: lost) }
        server.log(level: event.level, event.message, metadata: all, source: event.source, file: event.file, function: event.function, line: event.line)
    }

    /// How many spans one of the exporter's log lines says were lost: 0 for any other line.
    static func spansLost(message: String, metadata: Logger.Metadata) -> Int {
        func count(_ key: String) -> Int {
            guard case .string(let text) = metadata[key], let value = Int(text), value > 0 else { return 0 }
            return value
        }
        switch message {
        case queueFullMessage: return count("dropped_count")
        case exportFailedMessage where metadata["component"] == .string(spanProcessor): return count("batch_size")
        default: return 0
        }
    }
}
