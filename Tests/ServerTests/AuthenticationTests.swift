import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Storage
@testable import StrongroomEdge
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

@Suite("Login and the guard")
struct AuthenticationTests {
    @Test(arguments: TestBackend.available)
    func theBootstrapAdministratorLogsInAndHoldsEveryPermission(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let login = try await client.json(
                .post, "/v1/auth/login", body: #"{"username":"admin","password":"\#(TestServer.adminPassword)"}"#
            )
            #expect(login.status == .ok)
            #expect(login.headers[.cacheControl] == "no-store")
            let answer = try login.object()
            #expect(answer["token_type"] as? String == "Bearer")
            #expect(answer["expires_in"] as? Int == 600)
            #expect(answer["restricted"] == nil)
            let token = try #require(answer["access_token"] as? String)

            let me = try await client.json(.get, "/v1/auth/me", token: token).object()
            #expect(me["name"] as? String == "admin")
            #expect(me["kind"] as? String == "user")
            #expect(me["groups"] as? [String] == ["administrators"])
            #expect(Set(me["permissions"] as? [String] ?? []) == Set(PermissionCatalogue.all.map(\.rawValue)))

            let catalogue = try await client.json(.get, "/v1/permissions", token: token)
            #expect(catalogue.status == .ok)
            #expect((try catalogue.object()["items"] as? [Any])?.count == PermissionCatalogue.entries.count)
        }
    }

    @Test(arguments: TestBackend.available)
    func wrongCredentialsAreOne401WhateverWasWrong(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            for body in [
                #"{"username":"admin","password":"wrong password here"}"#,
                #"{"username":"nobody","password":"\#(TestServer.adminPassword)"}"#,
                #"{"username":"x","password":""}"#,
                #"{"username":"admin","password":"\#(String(repeating: "p", count: 5000))"}"#,
            ] {
                let response = try await client.json(.post, "/v1/auth/login", body: body)
                try response.expectProblem(.unauthorized, code: "SR-1002")
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func aGeneratedPasswordOpensOnlyThePasswordChange(backend: TestBackend) async throws {
        try await TestServer.with(backend, adminPassword: nil) { client, _, config in
            let file = config.dataDirectory + "/initial-admin-password"
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let generated = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)

            let (restricted, restriction) = try await client.login("admin", generated)
            #expect(restriction == "password_change")
            try await client.json(.get, "/v1/permissions", token: restricted).expectProblem(.forbidden, code: "SR-1004")
            try await client.json(.get, "/v1/auth/me", token: restricted).expectProblem(.forbidden, code: "SR-1004")

            let weak = try await client.json(
                .post, "/v1/auth/password", token: restricted,
                body: #"{"current_password":"\#(generated)","new_password":"changeme"}"#
            )
            try weak.expectProblem(.unprocessableContent, code: "SR-1006")
            let wrongCurrent = try await client.json(
                .post, "/v1/auth/password", token: restricted,
                body: #"{"current_password":"not the password","new_password":"vault-Kestrel-91-harbour"}"#
            )
            try wrongCurrent.expectProblem(.unauthorized, code: "SR-1002")
            let changed = try await client.json(
                .post, "/v1/auth/password", token: restricted,
                body: #"{"current_password":"\#(generated)","new_password":"vault-Kestrel-91-harbour"}"#
            )
            #expect(changed.status == .noContent)

            try await client.json(.post, "/v1/auth/login", body: #"{"username":"admin","password":"\#(generated)"}"#)
                .expectProblem(.unauthorized, code: "SR-1002")
            let (full, none) = try await client.login("admin", "vault-Kestrel-91-harbour")
            #expect(none == nil)
            #expect(try await client.json(.get, "/v1/permissions", token: full).status == .ok)
        }
    }

    @Test(arguments: TestBackend.available)
    func aUserWithoutThePermissionIsRefused403(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let clock = SystemClock()
            let hasher = PasswordHasher(cost: 4)
            try await prepared.persistence.write { work in
                try await work.identity.insertUser(User(
                    id: UUID(), username: try Username("clerk"), passwordHash: hasher.hash("clerk's own passphrase"),
                    status: .active, mustChangePassword: false, createdAt: clock.now(), updatedAt: clock.now()
                ))
            }
            let (token, _) = try await client.login("clerk", "clerk's own passphrase")
            #expect(try await client.json(.get, "/v1/auth/me", token: token).status == .ok)
            try await client.json(.get, "/v1/permissions", token: token).expectProblem(.forbidden, code: "SR-1003")
        }
    }
}

@Suite("Route declarations")
struct RouteDeclarationTests {
    @Test func theBearerCredentialsLoseOnlyTheSpacesAndTabsAroundThem() {
        #expect(Authenticator.credentials(afterScheme: "Bearer abc.def-ghi") == "abc.def-ghi")
        #expect(Authenticator.credentials(afterScheme: "bearer \t  abc.def \t") == "abc.def")
        #expect(Authenticator.credentials(afterScheme: "Bearer a b") == "a b")
        #expect(Authenticator.credentials(afterScheme: "Bearer    ") == "")
        // Other white space is not HTTP's optional white space: it stays, and the token fails.
        #expect(Authenticator.credentials(afterScheme: "Bearer abc\u{00A0}") == "abc\u{00A0}")
        #expect(Authenticator.credentials(afterScheme: "Bearer abc\n") == "abc\n")
    }

    @Test func aRouteRegisteredWithoutAPermissionRefusesStart() async throws {
        try await TestServer.with(.sqlite) { _, prepared, _ in
            let authenticator = Authenticator(
                prepared: prepared, secondFactor: SecondFactorPolicy(administratorsRequireMFA: false, usersRequireMFA: false),
                stepUp: StepUpPolicy()
            )
            let routes = GuardedRouter(
                router: .init(context: AppRequestContext.self), authenticator: authenticator, outbox: prepared.outbox,
                metrics: prepared.metrics.security
            )
            routes.add(.get, "/declared", access: .publicRoute) { _, _ in Response(status: .ok) }
            try routes.validate()
            routes.router.get("/sneaky") { _, _ in "no guard here" }
            #expect(throws: ConfigurationError.self) { try routes.validate() }
        }
    }

    @Test func aRouteNamingAnUnknownPermissionRefusesStart() async throws {
        try await TestServer.with(.sqlite) { _, prepared, _ in
            let authenticator = Authenticator(
                prepared: prepared, secondFactor: SecondFactorPolicy(administratorsRequireMFA: false, usersRequireMFA: false),
                stepUp: StepUpPolicy()
            )
            let routes = GuardedRouter(
                router: .init(context: AppRequestContext.self), authenticator: authenticator, outbox: prepared.outbox,
                metrics: prepared.metrics.security
            )
            routes.add(.get, "/odd", access: .permission("made:up")) { _, _ in Response(status: .ok) }
            #expect(throws: ConfigurationError.self) { try routes.validate() }
        }
    }

    @Test func aWriteRouteWithoutAnAuditActionRefusesStart() async throws {
        try await TestServer.with(.sqlite) { _, prepared, _ in
            let authenticator = Authenticator(
                prepared: prepared, secondFactor: SecondFactorPolicy(administratorsRequireMFA: false, usersRequireMFA: false),
                stepUp: StepUpPolicy()
            )
            let routes = GuardedRouter(
                router: .init(context: AppRequestContext.self), authenticator: authenticator, outbox: prepared.outbox,
                metrics: prepared.metrics.security
            )
            routes.add(.post, "/audited", access: .publicRoute, action: "thing.create") { _, _ in Response(status: .ok) }
            try routes.validate()
            routes.add(.delete, "/unaudited", access: .publicRoute) { _, _ in Response(status: .ok) }
            #expect(throws: ConfigurationError.self) { try routes.validate() }
        }
    }
}
