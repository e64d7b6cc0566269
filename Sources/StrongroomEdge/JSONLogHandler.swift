import Foundation
import Logging
import StrongroomKernel
import Synchronization

/// One JSON object per line on stderr: time, level, label, message and metadata (the
/// request id among it). Callers never log bodies, secrets or personal data; `SecretValue`
/// renders as `<redacted>` even if one slips into an interpolation.
///
/// With tracing on, the metadata provider names the current span (`trace_id`, `span_id`),
/// so every line written inside a traced request or flush carries its ids, whichever logger
/// wrote it; the provider's ids win over a logger's own, a line's explicit metadata over both.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private static let lock = Mutex(())

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "time": SystemClock().now().description,
            "level": event.level.rawValue,
            "label": label,
            "message": event.message.description,
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        for (key, value) in merged {
            object[key] = Self.render(value)
        }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return
        }
        line.append(0x0A)
        Self.lock.withLock { _ in FileHandle.standardError.write(line) }
    }

    private static func render(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): a.map(render)
        case .dictionary(let d): d.mapValues(render)
        }
    }
}
