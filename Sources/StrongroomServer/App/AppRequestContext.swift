import Hummingbird
import Identity
import NIOCore
import StrongroomEdge
import Tracing

/// Per-request state: what the edge keeps (the request id every log line and response
/// carries, the source address for audit and throttling) and what the areas add: the caller
/// once identity's guard has authenticated it, and the request's audit record in the making.
public struct AppRequestContext: EdgeRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String
    public var principal: Principal?
    /// The TCP peer's address, or the client's behind a trusted proxy (`EdgeMiddleware`).
    public var sourceAddress: String?
    /// The request's span, when tracing is on (`EdgeMiddleware`).
    public var requestSpan: (any Span)?
    /// Set by the guard on every route that declares an audit action.
    var audit: RequestAudit?
    /// The organization a route names in its `X-Organization-Id` header, set by the guard on
    /// the routes that declare one (`RouteDeclaration.organizationInHeader`), lower-cased.
    var headerOrganizationID: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.principal = nil
        self.audit = nil
        self.headerOrganizationID = nil
        self.requestSpan = nil
        self.sourceAddress = source.channel.remoteAddress?.ipAddress
    }
}
