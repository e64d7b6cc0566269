import Hummingbird
import Identity
import NIOCore

/// Per-request state: the request id every log line and response carries, the caller once
/// the guard has authenticated it, the source address for audit and throttling, and the
/// request's audit record in the making.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String
    public var principal: Principal?
    /// The TCP peer's address, or the client's behind a trusted proxy (`EdgeMiddleware`).
    public internal(set) var sourceAddress: String?
    /// Set by the guard on every route that declares an audit action.
    var audit: RequestAudit?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.principal = nil
        self.audit = nil
        self.sourceAddress = source.channel.remoteAddress?.ipAddress
    }
}

extension AppRequestContext {
    /// What the request touches, as its path names it: the organization and ledger ids the
    /// access decision compares with the caller's scopes.
    var accessTarget: AccessTarget {
        AccessTarget(organizationID: parameters.get("organization_id"), ledgerID: parameters.get("ledger_id"))
    }

    /// For ids a request names outside its path (in its body): 403 unless the caller's
    /// grants reach that target too.
    func requirePermission(_ permission: Permission, on target: AccessTarget) throws {
        guard let principal, principal.grants.allows(permission, on: target) else { throw AccessPolicy.outOfScope(permission) }
    }
}
