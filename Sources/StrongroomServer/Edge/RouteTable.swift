import HTTPTypes
import Identity
import Synchronization

/// Every route the server answers, with the access it demands: the one place a route's
/// permission is declared. The matrix test, the OpenAPI check and the 405 answers all read
/// it.
struct RouteTable: Sendable {
    struct Route: Sendable, Hashable {
        let method: HTTPRequest.Method
        /// OpenAPI-style template, e.g. `/v1/users/{id}`.
        let path: String
        let access: AccessRequirement
        /// The audit action of a state-changing route (`transaction.create`); nil for reads.
        let action: String?
        /// The largest body this route reads, when it is not the configured default.
        var bodyLimit: Int? = nil

        /// POST, PUT, PATCH and DELETE change state: each must declare an audit action.
        var changesState: Bool { ![.get, .head, .options].contains(method) }
    }

    private(set) var routes: [Route] = []
    /// The routes that declare a body limit of their own: what the edge checks per request.
    private var sizedRoutes: [Route] = []

    mutating func add(_ route: Route) {
        precondition(!routes.contains { $0.method == route.method && $0.path == route.path }, "route declared twice: \(route.method) \(route.path)")
        routes.append(route)
        if route.bodyLimit != nil { sizedRoutes.append(route) }
    }

    func route(method: HTTPRequest.Method, path: String) -> Route? {
        routes.first { $0.method == method && $0.path == path }
    }

    /// The methods declared for paths that match a concrete request path.
    func methods(matching concretePath: String) -> [HTTPRequest.Method] {
        let segments = Self.segments(concretePath)
        return routes.filter { $0.matches(segments) }.map(\.method)
    }

    /// The body limit a route declares for this request, if one does. Only the few routes
    /// with a limit of their own are matched, so the edge pays little for asking.
    func bodyLimit(method: HTTPRequest.Method, concretePath: String) -> Int? {
        guard sizedRoutes.contains(where: { $0.method == method }) else { return nil }
        let segments = Self.segments(concretePath)
        return sizedRoutes.first { $0.method == method && $0.matches(segments) }?.bodyLimit
    }

    fileprivate static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

extension RouteTable.Route {
    /// Whether the template matches a concrete path's segments (`{…}` matches any one).
    fileprivate func matches(_ segments: [Substring]) -> Bool {
        let template = RouteTable.segments(path)
        return template.count == segments.count
            && zip(template, segments).allSatisfy { t, s in (t.hasPrefix("{") && t.hasSuffix("}")) || t == s }
    }
}

/// The route table as the running server shares it: filled while routes are registered at
/// start-up, read by every request after.
final class RouteTableBox: Sendable {
    private let table = Mutex(RouteTable())

    var current: RouteTable { table.withLock { $0 } }

    func add(_ route: RouteTable.Route) { table.withLock { $0.add(route) } }

    func methods(matching path: String) -> [HTTPRequest.Method] { table.withLock { $0.methods(matching: path) } }

    func bodyLimit(method: HTTPRequest.Method, concretePath: String) -> Int? {
        table.withLock { $0.bodyLimit(method: method, concretePath: concretePath) }
    }
}
