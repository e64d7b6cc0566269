import HTTPTypes
import Logging
import Tracing

/// What the edge needs to trace requests: which to record, the tracer, and how to read the
/// current span's ids for the request's log lines (the server's App folder provides the
/// tracer and the ids from OpenTelemetry; the edge never sees OpenTelemetry itself).
///
/// The edge decides which requests are recorded, before any span exists: parent-based, a
/// caller's `traceparent` decides by its sampled flag, and a request without one is recorded
/// with probability `sampleRate`. A request not recorded makes no span at all, so it costs
/// what it costs with tracing off (its log lines carry the caller's trace id, or one from
/// `TraceIDs`); the tracer records every span it is asked for.
///
/// Off (nil in `EdgeMiddleware`), the edge makes no span.
public struct RequestTracing: Sendable {
    let tracer: any Tracer
    let spanIDs: Logger.MetadataProvider
    /// The share of requests without a `traceparent` that are recorded, 0 to 1.
    let sampleRate: Double

    /// - Parameters:
    ///   - tracer: the tracer every part of the server starts its spans with (the process's,
    ///     as swift-distributed-tracing's instrumentation system holds it), recording all.
    ///   - spanIDs: read inside a span's context, the metadata naming its `trace_id` and
    ///     `span_id`.
    ///   - sampleRate: the share of new traces recorded, 0 to 1.
    public init(tracer: any Tracer, spanIDs: Logger.MetadataProvider, sampleRate: Double) {
        self.tracer = tracer
        self.spanIDs = spanIDs
        self.sampleRate = sampleRate
    }

    /// The context a recorded request's span starts from: the caller's `traceparent` (and
    /// `tracestate`) as the tracer's propagator reads them when the caller sampled it, an
    /// empty context (a new trace) for a request without one that the draw picks; nil for a
    /// request not recorded.
    func recordedParent(of fields: HTTPFields, caller: TraceParent?) -> InstrumentationContext? {
        if let caller {
            guard caller.isSampled else { return nil }
            var context = InstrumentationContext.topLevel
            tracer.extract(fields, into: &context, using: HTTPFieldsExtractor())
            return context
        }
        return TraceIDs.draw(probability: sampleRate) ? .topLevel : nil
    }
}

/// Reads a propagator's headers (`traceparent`, `tracestate`) from a request's fields. A
/// repeated header is joined with commas, as HTTP allows for list-valued fields.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key) else { return nil }
        let values = fields[values: name]
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}
