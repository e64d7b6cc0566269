import Hummingbird
import Tracing

/// What the edge needs of a request's context, whatever else the server keeps in it: the
/// request id every log line and response carries, and the client's address (the TCP peer's,
/// or the client's behind a trusted proxy), and the request's span when tracing is on (the
/// areas add what they learn to it, such as the kind of caller). The server's context adds
/// the areas' state (the caller, the audit record in the making) without the edge knowing
/// of them.
public protocol EdgeRequestContext: RequestContext {
    var requestID: String { get set }
    var sourceAddress: String? { get set }
    /// The request's span; nil when tracing is off.
    var requestSpan: (any Span)? { get set }
}
