import HTTPTypes
import Logging
import Tracing

/// What the edge needs to make each request a span when tracing is on: the tracer, and how
/// to read the current span's ids for the request's log lines (the server's App folder
/// provides both from OpenTelemetry; the edge never sees OpenTelemetry itself).
///
/// Off (nil in `EdgeMiddleware`), the edge makes no span: the log lines carry the caller's
/// trace id from its `traceparent`, or one from `TraceIDs`, as before.
public struct RequestTracing: Sendable {
    let tracer: any Tracer
    let spanIDs: Logger.MetadataProvider

    /// - Parameters:
    ///   - tracer: the tracer every part of the server starts its spans with (the one
    ///     `InstrumentationSystem` was bootstrapped with).
    ///   - spanIDs: read inside a span's context, the metadata naming its `trace_id` and
    ///     `span_id`.
    public init(tracer: any Tracer, spanIDs: Logger.MetadataProvider) {
        self.tracer = tracer
        self.spanIDs = spanIDs
    }

    /// The request's parent context: the caller's `traceparent` (and `tracestate`) as the
    /// tracer's propagator reads them; an empty context (a new trace) when there is none or it
    /// is malformed.
    func parentContext(of fields: HTTPFields) -> InstrumentationContext {
        var context = InstrumentationContext.topLevel
        tracer.extract(fields, into: &context, using: HTTPFieldsExtractor())
        return context
    }
}

/// Reads a propagator's headers (`traceparent`, `tracestate`) from a request's fields. A
/// repeated header is joined with commas, as HTTP allows for list-valued fields.
public struct HTTPFieldsExtractor: Extractor {
    public init() {}

    public func extract(key: String, from fields: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key) else { return nil }
        let values = fields[values: name]
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}

/// Writes a propagator's headers into a request's fields (an outbound call's, or a context
/// read back as a `traceparent`).
public struct HTTPFieldsInjector: Injector {
    public init() {}

    public func inject(_ value: String, forKey key: String, into fields: inout HTTPFields) {
        guard let name = HTTPField.Name(key) else { return }
        fields[name] = value
    }
}
