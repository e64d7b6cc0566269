import Audit
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Logging
import StrongroomEdge
import StrongroomKernel
import Tracing

/// Registers routes only together with the access they demand (and, for a route that
/// changes state, the audit action it performs), and wraps each handler in the guard:
/// authenticate, then decide, deny by default, and account for the request in the audit
/// trail (docs/ARCHITECTURE.md, "The audit trail").
///
/// The Hummingbird router underneath stays private to this type. `validate()` compares what
/// that router answers with what was declared, and the server refuses to start when a route
/// exists without a declaration (or a declaration names a permission that does not exist).
final class GuardedRouter: @unchecked Sendable {
    // Built once at start-up on one task, then only read: hence @unchecked.
    let router: Router<AppRequestContext>
    /// Shared with the edge middleware, which answers 405 from it.
    let table = RouteTableBox<RouteDeclaration>()
    private let authenticator: Authenticator
    private let outbox: AuditOutbox
    private let metrics: SecurityMetrics

    init(router: Router<AppRequestContext>, authenticator: Authenticator, outbox: AuditOutbox, metrics: SecurityMetrics) {
        self.router = router
        self.authenticator = authenticator
        self.outbox = outbox
        self.metrics = metrics
    }

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// - Parameters:
    ///   - action: the audit action; required (checked by `validate()`) for POST, PUT, PATCH
    ///     and DELETE, and absent for reads.
    ///   - organizationInHeader: the route names its organization in `X-Organization-Id`
    ///     (Midaz's CRM routes), not in its path: without a valid one it answers 400, and the
    ///     caller's scope is checked against it.
    func add(
        _ method: HTTPRequest.Method, _ path: String, access: AccessRequirement, action: String? = nil, bodyLimit: Int? = nil,
        organizationInHeader: Bool = false, _ handler: @escaping Handler
    ) {
        let declaration = RouteDeclaration(access: access, action: action, organizationInHeader: organizationInHeader)
        table.add(.init(method: method, path: path, declaration: declaration, bodyLimit: bodyLimit))
        let authenticator = self.authenticator
        let outbox = self.outbox
        let metrics = self.metrics
        router.on(RouterPath(path), method: method) { request, context in
            var context = context
            context.principal = try await Traced.run("authenticate") { _ in
                try await authenticator.authenticate(access, request: request, context: context)
            }
            if let kind = context.principal?.kind { context.requestSpan?.attributes["strongroom.principal.kind"] = kind.rawValue }
            // Writes always get their audit; a read only when it is refused.
            let principal = context.principal
            let makeAudit = {
                RequestAudit(
                    action: action ?? "read", actor: Self.actor(principal, context.sourceAddress), requestID: context.requestID,
                    path: request.uri.path
                )
            }
            if action != nil { context.audit = makeAudit() }
            var admitted = false
            do {
                if organizationInHeader { context.headerOrganizationID = try Self.headerOrganization(request) }
                try authenticator.check(access, for: principal, on: context.accessTarget)
                admitted = true
                let response = try await handler(request, context)
                if let audit = context.audit, !audit.recorded, response.headers[.idempotencyReplayed] == nil {
                    if response.status.code >= 400 || audit.didChangeNothing {
                        // A refusal answered as a response rather than thrown (the OAuth token
                        // endpoint's own error format, a throttled login), or a success that
                        // changed nothing.
                        outbox.add(audit.failure(
                            response.status == .forbidden ? .denied : .failure, status: response.status.code,
                            code: nil
                        ))
                    } else {
                        // A write route succeeded without recording in its unit of work: a bug
                        // the audit coverage test catches. Record it late rather than not at all.
                        context.logger.error(
                            "a state-changing request finished without its audit record", metadata: ["route": "\(method) \(path)"]
                        )
                        outbox.add(audit.success(resource: audit.path, summary: ["late": .text("true")]))
                    }
                }
                return response
            } catch {
                // Every write that did not succeed is recorded, and so is a read refused by
                // permissions: a denial when the guard refused it (or the handler found it
                // out of scope), a failure otherwise.
                let refusal = error as? StrongroomError
                // A missing `X-Organization-Id` is a malformed request, not a denial.
                let denied = refusal?.kind == .forbidden || (!admitted && refusal?.kind != .badRequest)
                if let reason = Self.denialReason(refusal, admitted: admitted) { metrics.countDenial(reason) }
                if context.audit != nil || refusal?.kind == .forbidden {
                    outbox.add((context.audit ?? makeAudit()).failure(
                        denied ? .denied : .failure, status: refusal.map { Int(Problem.status(for: $0.kind).code) } ?? 500,
                        code: refusal?.code.rawValue
                    ))
                }
                throw error
            }
        }
    }

    /// The organization id in `X-Organization-Id`: one UUID, lower-cased as path ids are
    /// compared; a missing, repeated or malformed header is refused before any access
    /// decision, so no route reads an organization the guard did not check.
    static func headerOrganization(_ request: Request) throws -> String {
        let values = request.headers[values: .xOrganizationID]
        guard values.count == 1, let id = UUID(uuidString: values[0]) else {
            throw StrongroomError(.organizationHeader, "This route needs the organization's id in one X-Organization-Id header.")
        }
        return id.uuidString.lowercased()
    }

    /// Why the access model refused a request, when it did: the guard's 401 or 403, or a
    /// handler's 403 (an id in the body out of the caller's scope). A handler's 401 is a
    /// wrong password on a public route, which the login counter counts, not a denial.
    static func denialReason(_ refusal: StrongroomError?, admitted: Bool) -> SecurityMetrics.DenialReason? {
        switch refusal?.kind {
        case .forbidden: .forbidden
        case .unauthorized where !admitted: .unauthenticated
        default: nil
        }
    }

    static func actor(_ principal: Principal?, _ sourceAddress: String?) -> AuditActor {
        guard let principal else { return .anonymous(from: sourceAddress) }
        let kind: AuditActor.Kind =
            switch principal.kind {
            case .user: .user
            case .client: .client
            case .external: .external
            }
        return AuditActor(kind: kind, id: principal.id.uuidString.lowercased(), sourceAddress: sourceAddress)
    }

    /// Refuses a router with an undeclared route, a route declared twice, or a declaration
    /// naming an unknown permission.
    func validate() throws {
        if let twice = table.current.duplicates.first {
            throw ConfigurationError("route \(twice.method.rawValue) \(twice.path) is declared twice; refusing to start")
        }
        for route in router.routes {
            let path = route.path.description.hasPrefix("/") ? route.path.description : "/" + route.path.description
            guard table.current.route(method: route.method, path: path) != nil else {
                throw ConfigurationError("route \(route.method.rawValue) \(path) has no declared permission; refusing to start")
            }
        }
        for route in table.current.routes {
            guard route.changesState == (route.action != nil) else {
                throw ConfigurationError("route \(route.method.rawValue) \(route.path) must declare an audit action exactly when it changes state")
            }
            if route.declaration.organizationInHeader, route.path.contains("{organization_id}") {
                throw ConfigurationError("route \(route.method.rawValue) \(route.path) names its organization twice, in its path and its header")
            }
            if let permission = route.access.permission, !PermissionCatalogue.contains(permission) {
                throw ConfigurationError("route \(route.method.rawValue) \(route.path) names unknown permission \(permission)")
            }
        }
    }
}
