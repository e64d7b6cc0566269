import HTTPTypes
import Testing

@testable import StrongroomEdge

@Suite("Route table")
struct RouteTableTests {
    private static func route(_ method: HTTPRequest.Method, _ path: String, _ tag: String, bodyLimit: Int? = nil) -> RouteTable<String>.Route {
        .init(method: method, path: path, declaration: tag, bodyLimit: bodyLimit)
    }

    @Test("a route declared twice is kept once and reported, never silently replaced")
    func declaredTwice() {
        var table = RouteTable<String>()
        table.add(Self.route(.post, "/v1/users", "first"))
        table.add(Self.route(.post, "/v1/users", "second"))
        #expect(table.routes.map(\.declaration) == ["first"])
        #expect(table.duplicates.map(\.declaration) == ["second"])
    }

    @Test("the methods of every template that matches a concrete path, for the 405's Allow")
    func methodsMatching() {
        var table = RouteTable<String>()
        table.add(Self.route(.get, "/v1/users/{id}", "read"))
        table.add(Self.route(.patch, "/v1/users/{id}", "change"))
        table.add(Self.route(.get, "/v1/users", "list"))
        #expect(table.methods(matching: "/v1/users/42") == [.get, .patch])
        #expect(table.methods(matching: "/v1/users/42/x").isEmpty)
    }

    @Test("a body limit applies only to the route that declares it")
    func bodyLimit() {
        var table = RouteTable<String>()
        table.add(Self.route(.post, "/v1/batch/{id}", "batch", bodyLimit: 8 << 20))
        table.add(Self.route(.post, "/v1/other/{id}", "other"))
        #expect(table.bodyLimit(method: .post, concretePath: "/v1/batch/7") == 8 << 20)
        #expect(table.bodyLimit(method: .post, concretePath: "/v1/other/7") == nil)
        #expect(table.bodyLimit(method: .get, concretePath: "/v1/batch/7") == nil)
    }
}
