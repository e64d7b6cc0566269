import HTTPTypes
import Synchronization

/// The route table as the running server shares it: filled while routes are registered at
/// start-up, read by every request after.
public final class RouteTableBox<Declaration: Sendable & Hashable>: Sendable {
    private let table = Mutex(RouteTable<Declaration>())

    public init() {}

    public var current: RouteTable<Declaration> { table.withLock { $0 } }

    public func add(_ route: RouteTable<Declaration>.Route) { table.withLock { $0.add(route) } }
}

/// What the edge asks of the route table on every request, whatever the routes declare.
public protocol RouteShapes: Sendable {
    func methods(matching path: String) -> [HTTPRequest.Method]
    func bodyLimit(method: HTTPRequest.Method, concretePath: String) -> Int?
}

extension RouteTableBox: RouteShapes {
    public func methods(matching path: String) -> [HTTPRequest.Method] { table.withLock { $0.methods(matching: path) } }

    public func bodyLimit(method: HTTPRequest.Method, concretePath: String) -> Int? {
        table.withLock { $0.bodyLimit(method: method, concretePath: concretePath) }
    }
}
