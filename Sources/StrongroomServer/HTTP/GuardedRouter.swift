import HTTPTypes
import Hummingbird
import Identity
import StrongroomKernel

/// Registers routes only together with the access they demand, and wraps each handler in
/// the guard: authenticate, then decide, deny by default.
///
/// The Hummingbird router underneath stays private to this type. `validate()` compares what
/// that router answers with what was declared, and the server refuses to start when a route
/// exists without a declaration (or a declaration names a permission that does not exist).
final class GuardedRouter: @unchecked Sendable {
    // Built once at start-up on one task, then only read: hence @unchecked.
    let router: Router<AppRequestContext>
    /// Shared with the edge middleware, which answers 405 from it.
    let table = RouteTableBox()
    private let authenticator: Authenticator

    init(router: Router<AppRequestContext>, authenticator: Authenticator) {
        self.router = router
        self.authenticator = authenticator
    }

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    func add(_ method: HTTPRequest.Method, _ path: String, access: AccessRequirement, _ handler: @escaping Handler) {
        table.add(.init(method: method, path: path, access: access))
        let authenticator = self.authenticator
        router.on(RouterPath(path), method: method) { request, context in
            var context = context
            context.principal = try await authenticator.authorize(access, request: request, context: context)
            return try await handler(request, context)
        }
    }

    /// Refuses a router with an undeclared route or a declaration naming an unknown permission.
    func validate() throws {
        for route in router.routes {
            let path = route.path.description.hasPrefix("/") ? route.path.description : "/" + route.path.description
            guard table.current.route(method: route.method, path: path) != nil else {
                throw ConfigurationError("route \(route.method.rawValue) \(path) has no declared permission; refusing to start")
            }
        }
        for route in table.current.routes {
            if case .permission(let permission) = route.access, !PermissionCatalogue.contains(permission) {
                throw ConfigurationError("route \(route.method.rawValue) \(route.path) names unknown permission \(permission)")
            }
        }
    }
}
