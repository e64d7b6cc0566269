import HTTPTypes
import Synchronization

/// Every route the server answers, with what each declares: the one place a route is
/// declared. The edge reads the shape of it (paths, methods, body limits) to answer 405 and
/// to refuse an oversized body before reading it; what a route declares beyond that (its
/// access and audit action, in the server) is `Declaration`, which the edge never looks into.
public struct RouteTable<Declaration: Sendable & Hashable>: Sendable {
    public struct Route: Sendable, Hashable {
        public let method: HTTPRequest.Method
        /// OpenAPI-style template, e.g. `/v1/users/{id}`.
        public let path: String
        public let declaration: Declaration
        /// The largest body this route reads, when it is not the configured default.
        public var bodyLimit: Int?

        public init(method: HTTPRequest.Method, path: String, declaration: Declaration, bodyLimit: Int? = nil) {
            self.method = method
            self.path = path
            self.declaration = declaration
            self.bodyLimit = bodyLimit
        }

        /// POST, PUT, PATCH and DELETE change state.
        public var changesState: Bool { ![.get, .head, .options].contains(method) }
    }

    public private(set) var routes: [Route] = []
    /// The routes that declare a body limit of their own: what the edge checks per request.
    private var sizedRoutes: [Route] = []

    /// Routes declared more than once: the server refuses to start with any (the second
    /// declaration would be dead, and which one the router obeyed would depend on order).
    public private(set) var duplicates: [Route] = []

    public init() {}

    public mutating func add(_ route: Route) {
        guard self.route(method: route.method, path: route.path) == nil else {
            duplicates.append(route)
            return
        }
        routes.append(route)
        if route.bodyLimit != nil { sizedRoutes.append(route) }
    }

    public func route(method: HTTPRequest.Method, path: String) -> Route? {
        routes.first { $0.method == method && $0.path == path }
    }

    /// The methods declared for paths that match a concrete request path.
    public func methods(matching concretePath: String) -> [HTTPRequest.Method] {
        let segments = RouteTemplate.segments(concretePath)
        return routes.filter { RouteTemplate.matches($0.path, segments) }.map(\.method)
    }

    /// The body limit a route declares for this request, if one does. Only the few routes
    /// with a limit of their own are matched, so the edge pays little for asking.
    public func bodyLimit(method: HTTPRequest.Method, concretePath: String) -> Int? {
        guard sizedRoutes.contains(where: { $0.method == method }) else { return nil }
        let segments = RouteTemplate.segments(concretePath)
        return sizedRoutes.first { $0.method == method && RouteTemplate.matches($0.path, segments) }?.bodyLimit
    }
}

/// OpenAPI-style path templates, where `{…}` matches any one segment.
enum RouteTemplate {
    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    static func matches(_ template: String, _ segments: [Substring]) -> Bool {
        let parts = Self.segments(template)
        return parts.count == segments.count
            && zip(parts, segments).allSatisfy { t, s in (t.hasPrefix("{") && t.hasSuffix("}")) || t == s }
    }
}
