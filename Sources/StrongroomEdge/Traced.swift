import StrongroomKernel
import Tracing

/// Runs an operation as a span of the current trace, as swift-distributed-tracing's `withSpan`
/// does, with two differences that the server's tracing relies on (docs/SECURITY.md, "Traces"):
///
/// - **Only inside a recorded trace.** With no current context (tracing off, or a request
///   the sampler did not record: the edge then runs it with none), the operation runs alone,
///   with a span that records nothing, and costs no more than a task-local read. So an
///   unsampled request pays for its own span and nothing below it, and nothing here starts a
///   trace of its own.
/// - **A failure leaves only its kind.** `withSpan` records the error's description, which
///   may quote what a request sent (an alias, a name); this records only `error.type` (a coded
///   refusal's code, else the error's type) and marks the span failed.
public enum Traced {
    /// The process's tracer, read once: `InstrumentationSystem.tracer` takes a lock and casts
    /// an existential on every read, a measurable share of a traced request. The first read
    /// comes after `serve` installed the tracer, since a span is made only inside a recorded
    /// request, and there is none before the server listens.
    static let tracer = InstrumentationSystem.tracer

    public static func run<T>(
        _ operationName: String, isolation: isolated (any Actor)? = #isolation, _ operation: (any Span) async throws -> T
    ) async rethrows -> T {
        guard let parent = InstrumentationContext.current else {
            return try await operation(NoOpTracer.NoOpSpan(context: .topLevel))
        }
        let span: any Span = tracer.startSpan(operationName, context: parent, ofKind: .internal)
        defer { span.end() }
        do {
            return try await InstrumentationContext.$current.withValue(span.context) { try await operation(span) }
        } catch {
            failed(span, error)
            throw error
        }
    }

    /// The span's context when it records, for whoever links to it later; nil when it does not.
    public static func recorded(_ span: any Span) -> InstrumentationContext? {
        span.isRecording ? span.context : nil
    }

    /// Marks `span` failed with `error`'s kind alone, never its message.
    public static func failed(_ span: any Span, _ error: any Error) {
        span.attributes["error.type"] = (error as? StrongroomError)?.code.rawValue ?? String(reflecting: type(of: error))
        span.setStatus(SpanStatus(code: .error))
    }
}
