import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
@testable import StrongroomEdge
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

@Suite("Public routes")
struct PublicRouteTests {
    @Test(arguments: TestBackend.available)
    func healthReadinessVersionContractAndKeys(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let health = try await client.json(.get, "/health")
            #expect(health.status == .ok)
            #expect(try health.object()["status"] as? String == "ok")
            let ready = try await client.json(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect(try ready.object()["status"] as? String == "ready")
            #expect(try await client.json(.get, "/version").object()["version"] as? String == StrongroomVersion.current)
            let contract = try await client.json(.get, "/openapi.yaml")
            #expect(contract.status == .ok)
            #expect(contract.headers[.contentType] == "application/yaml")
            #expect(contract.text.hasPrefix("openapi: 3.1"))
            let jwks = try await client.json(.get, "/.well-known/jwks.json").object()
            let keys = try #require(jwks["keys"] as? [[String: String]])
            #expect(keys.count == 1)
            #expect(keys.first?["crv"] == "Ed25519")
            #expect(keys.first?["d"] == nil)
        }
    }

    @Test(arguments: TestBackend.available)
    func readinessFailsWhenTheDatabaseIsGone(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            await prepared.persistence.close()
            let ready = try await client.json(.get, "/readyz")
            try ready.expectProblem(.serviceUnavailable, code: "SR-9001")
        }
    }

    @Test func requestIDsAreKeptWhenSafeAndReplacedOtherwise() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let name = HTTPField.Name("X-Request-Id")!
            let kept = try await client.json(.get, "/health", headers: [name: "abc.DEF_123-x"])
            #expect(kept.headers[name] == "abc.DEF_123-x")
            for hostile in ["has space", String(repeating: "a", count: 65), "semi;colon", "new\u{7F}line"] {
                let replaced = try await client.json(.get, "/health", headers: [name: hostile])
                let id = try #require(replaced.headers[name])
                #expect(id != hostile)
                #expect(RequestID.isValid(id))
            }
            #expect(RequestID.isValid(try #require(try await client.json(.get, "/health").headers[name])))
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let response = try await client.json(.get, "/health")
            #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(response.headers[.cacheControl] == "no-store")
            // Plain HTTP: HSTS is only meaningful, and only sent, over TLS.
            #expect(response.headers[HTTPField.Name("Strict-Transport-Security")!] == nil)
        }
    }
}
