import Logging
import Metrics
import Synchronization

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
///
/// Lines that report lost spans reach the server's log at most once a minute (the counter has
/// every one): an exporter that cannot keep up says so each time it ticks, up to ten times a
/// second, and that would bury the rest of the log.
struct TelemetryDiagnostics: LogHandler {
    static let lossLineInterval = Duration.seconds(60)
    static let queueFullMessage = "Spans were dropped this iteration because queue was full"
    static let exportFailedMessage = "Failed to export batch."
    static let spanProcessor = "OTelBatchSpanProcessor"

    let dropped: Counter
    let server: Logger
    private let lastLossLine = LossLineClock()
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
        if lost > 0 {
            dropped.increment(by: lost)
            guard lastLossLine.mayLog(every: Self.lossLineInterval) else { return }
        }
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

/// When a loss line last reached the server's log, shared by every copy of the handler.
private final class LossLineClock: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    /// True, and remembered, when no loss line was logged within `interval`.
    func mayLog(every interval: Duration) -> Bool {
        let now = ContinuousClock.now
        return last.withLock { last in
            if let last, now - last < interval { return false }
            last = now
            return true
        }
    }
}
