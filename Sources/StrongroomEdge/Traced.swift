import StrongroomKernel
import Tracing

/// Runs an operation as a span of the current trace, as swift-distributed-tracing's `withSpan`
/// does, except for what a failure leaves on the span: `withSpan` records the error's
/// description, which may quote what a request sent (an alias, a name); this records only what
/// kind of error it was (`error.type`: a coded refusal's code, else the error's type) and marks
/// the span failed (docs/SECURITY.md, "Traces").
public enum Traced {
    public static func run<T>(
        _ operationName: String, context: InstrumentationContext? = nil, ofKind kind: SpanKind = .internal,
        isolation: isolated (any Actor)? = #isolation, _ operation: (any Span) async throws -> T
    ) async rethrows -> T {
        let span: any Span = InstrumentationSystem.tracer.startSpan(
            operationName, context: context ?? InstrumentationContext.current ?? .topLevel, ofKind: kind
        )
        defer { span.end() }
        do {
            return try await InstrumentationContext.$current.withValue(span.context) { try await operation(span) }
        } catch {
            failed(span, error)
            throw error
        }
    }

    /// Marks `span` failed with `error`'s kind alone, never its message.
    public static func failed(_ span: any Span, _ error: any Error) {
        span.attributes["error.type"] = (error as? StrongroomError)?.code.rawValue ?? String(reflecting: type(of: error))
        span.setStatus(SpanStatus(code: .error))
    }
}
