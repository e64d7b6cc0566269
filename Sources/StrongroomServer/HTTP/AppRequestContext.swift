import Hummingbird
import Identity
import NIOCore

/// Per-request state: the request id every log line and response carries, the caller once
/// the guard has authenticated it, and the source address for audit and throttling.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String
    public var principal: Principal?
    public let sourceAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.principal = nil
        self.sourceAddress = source.channel.remoteAddress?.ipAddress
    }
}
