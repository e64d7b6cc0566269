import Audit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Step-up: the sensitive permissions work only for a token that proved a second factor in
/// the last minutes, a step-up's code works once for every process, and a machine client can
/// never hold one.
@Suite("Step-up")
struct StepUpTests {
    static let freeze = #"{"reason":"step-up drill"}"#

    @Test(arguments: TestBackend.available)
    func aSensitiveRouteNeedsAStepUpThatRunsOut(backend: TestBackend) async throws {
        let clock = SteppingClock(start: SystemClock().now())
        try await TestServer.with(backend, clock: clock) { client, prepared, _ in
            let books = try await LedgerFixture.make(client)
            let alice = try await books.account("@alice")
            let path = books.base + "/accounts/\(alice)/freeze"

            // The administrator holds accounts:freeze, but has no authenticator: enrol first.
            try await client.json(.post, path, token: books.token, body: Self.freeze).expectProblem(.forbidden, code: "SR-1023")
            try await client.json(.post, "/v1/auth/elevate", token: books.token, body: #"{"totp":"123456"}"#)
                .expectProblem(.forbidden, code: "SR-1023")
            let authenticator = try await client.enrol(token: books.token, clock: clock)
            // Enrolled (and the 5-second principal cache moved past), the same plain token
            // must step up.
            clock.advance(seconds: 6)
            try await client.json(.post, path, token: books.token, body: Self.freeze).expectProblem(.forbidden, code: "SR-1022")
            // Reads and ordinary writes never needed it.
            #expect(try await client.json(.get, books.base + "/accounts/\(alice)", token: books.token).status == .ok)

            let elevated = try await client.elevate(token: books.token, authenticator: authenticator)
            #expect(try await client.json(.post, path, token: elevated, body: Self.freeze).status == .ok)
            // The step-up says what it proved and when, and lives 5 minutes.
            let claims = try Self.claims(elevated)
            #expect(claims["amr"] as? [String] == ["pwd", "otp"])
            #expect(claims["auth_time"] as? Int64 == clock.now().secondsSinceEpoch)
            #expect((claims["exp"] as? Int64).map { $0 - clock.now().secondsSinceEpoch } == StepUpPolicy.defaultLifetimeSeconds)
            // The caller can see until when.
            let me = try await client.json(.get, "/v1/auth/me", token: elevated).object()
            let until = (clock.now().secondsSinceEpoch + StepUpPolicy.defaultLifetimeSeconds) * 1_000_000  // whole seconds, as tokens count
            #expect(me["elevated_until"] as? String == RFC3339.format(Timestamp(microsecondsSinceEpoch: until)))
            #expect(try await client.json(.get, "/v1/auth/me", token: books.token).object()["elevated_until"] == nil)

            // One second before the lifetime ends it still works; at its end it does not.
            clock.advance(seconds: StepUpPolicy.defaultLifetimeSeconds - 1)
            #expect(try await client.json(.post, books.base + "/accounts/\(alice)/unfreeze", token: elevated, body: Self.freeze).status == .ok)
            clock.advance(seconds: 1)
            // The verified token is past its `exp` too; a login token of 10 minutes shows the
            // step-up itself running out.
            let withCode = try await client.login("admin", TestServer.adminPassword, authenticator: authenticator)
            #expect(try await client.json(.post, path, token: withCode, body: Self.freeze).status == .ok)
            clock.advance(seconds: StepUpPolicy.defaultLifetimeSeconds)
            try await client.json(.post, books.base + "/accounts/\(alice)/unfreeze", token: withCode, body: Self.freeze)
                .expectProblem(.forbidden, code: "SR-1022")
            #expect(try await client.json(.get, "/v1/auth/me", token: withCode).status == .ok)

            // A refreshed token proves nothing new.
            let login = try await client.json(
                .post, "/v1/auth/login",
                body: #"{"username":"admin","password":"\#(TestServer.adminPassword)","totp":"\#(try await authenticator.code())"}"#
            )
            let refresh = try #require(try login.object()["refresh_token"] as? String)
            let renewed = try await client.json(
                .post, "/v1/auth/token", body: "grant_type=refresh_token&refresh_token=\(refresh)",
                headers: [.contentType: "application/x-www-form-urlencoded"]
            )
            let fresh = try #require(try renewed.object()["access_token"] as? String)
            #expect(try Self.claims(fresh)["amr"] == nil)
            try await client.json(.post, books.base + "/accounts/\(alice)/unfreeze", token: fresh, body: Self.freeze)
                .expectProblem(.forbidden, code: "SR-1022")

            // The step-up and the refused one are each on the record (a refusal through the
            // outbox, so eventually).
            let records = try await AuditCoverageTests.eventually(prepared.persistence, after: 0) { records in
                records.filter { $0.action == "auth.elevate" }.count == 2
            }
            #expect(records.filter { $0.action == "auth.elevate" }.map(\.outcome).sorted() == ["denied", "success"])
        }
    }

    @Test func aWrongCodeCountsAgainstTheLoginThrottleAndACodeWorksOnce() async throws {
        let clock = SteppingClock(start: SystemClock().now())
        try await TestServer.with(.sqlite, clock: clock) { client, _, _ in
            let plain = try await client.login("admin", TestServer.adminPassword).token
            let authenticator = try await client.enrol(token: plain, clock: clock)
            let code = try await authenticator.code()
            #expect(try await client.json(.post, "/v1/auth/elevate", token: plain, body: #"{"totp":"\#(code)"}"#).status == .ok)
            try await client.json(.post, "/v1/auth/elevate", token: plain, body: #"{"totp":"\#(code)"}"#)
                .expectProblem(.unauthorized, code: "SR-1017")
            // The source logged in to this account before, so only the source's own limit holds
            // it back (as for logins); its failures here and at login are one count.
            for _ in 0..<(LoginThrottle.sourceLimit - 1) {
                try await client.json(.post, "/v1/auth/elevate", token: plain, body: #"{"totp":"000000"}"#)
                    .expectProblem(.unauthorized, code: "SR-1017")
            }
            // The limit's last failure locked the source: the next attempt is not even checked,
            // and the lock is the login's own.
            let locked = try await client.json(.post, "/v1/auth/elevate", token: plain, body: #"{"totp":"000000"}"#)
            try locked.expectProblem(.tooManyRequests, code: "SR-1015")
            #expect(locked.headers[.retryAfter] != nil)
            let login = try await client.json(.post, "/v1/auth/login", body: #"{"username":"admin","password":"wrong password"}"#)
            try login.expectProblem(.tooManyRequests, code: "SR-1015")
        }
    }

    /// Two processes on one PostgreSQL database: a code spent stepping up on one is refused
    /// on the other.
    @Test(.enabled(if: TestBackend.available.contains(.postgres)))
    func aCodeSpentInOneProcessIsRefusedInAnother() async throws {
        let database = try await TestDatabase.create(.postgres)
        do {
            let directory = try ServerProcessTests.scratch()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let environment = try LedgerProcessTests.environment(for: database)
            let arguments = { (name: String) in ["--data-dir", directory + "/" + name, "--log-level", "warning"] }
            _ = try await ServerProcessTests.withServer(arguments: arguments("a"), environment: environment, directory: directory) { first in
                try await ServerProcessTests.withServer(arguments: arguments("b"), environment: environment, directory: directory) { second in
                    let token = try await LedgerProcessTests.Connection.adminToken(port: first.port)
                    let a = try await LedgerProcessTests.Connection.open(port: first.port, token: token)
                    let b = try await LedgerProcessTests.Connection.open(port: second.port, token: token)
                    let authenticator = try await a.enrol()
                    let code = try await authenticator.code()
                    #expect(try await a.send(.post, "/v1/auth/elevate", #"{"totp":"\#(code)"}"#).status == 200)
                    let replayed = try await b.send(.post, "/v1/auth/elevate", #"{"totp":"\#(code)"}"#)
                    #expect(replayed.status == 401)
                    #expect((try JSONSerialization.jsonObject(with: replayed.body) as? [String: Any])?["code"] as? String == "SR-1017")
                    try? await a.client.shutdown()
                    try? await b.client.shutdown()
                }
            }
        } catch {
            await database.destroy()
            throw error
        }
        await database.destroy()
    }

    @Test(arguments: TestBackend.available)
    func aMachineClientCannotBeGivenASensitivePermission(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let (admin, _) = try await client.steppedUp()
            func post(_ path: String, _ body: String) async throws -> TestResponse {
                try await client.json(.post, path, token: admin, body: body)
            }
            #expect(try await post("/v1/groups", #"{"name":"freezers","permissions":["accounts:freeze"]}"#).status == .created)
            #expect(try await post("/v1/groups", #"{"name":"readers","permissions":["accounts:read"]}"#).status == .created)
            try await post("/v1/clients", #"{"name":"job","groups":["freezers"]}"#).expectProblem(.unprocessableContent, code: "SR-1024")
            try await post("/v1/clients", #"{"name":"job","groups":["administrators"]}"#)
                .expectProblem(.unprocessableContent, code: "SR-1024")
            let created = try await post("/v1/clients", #"{"name":"job","groups":["readers"]}"#)
            #expect(created.status == .created, "\(created.text)")
            let clientID = try #require(try created.object()["client_id"] as? String)
            try await client.json(.patch, "/v1/clients/\(clientID)", token: admin, body: #"{"groups":["readers","freezers"]}"#)
                .expectProblem(.unprocessableContent, code: "SR-1024")
            // Nor may a group a client belongs to gain one.
            let readers = try #require(try await client.json(.get, "/v1/groups", token: admin).object()["items"] as? [[String: Any]])
                .first { $0["name"] as? String == "readers" }?["id"] as? String
            try await client.json(
                .patch, "/v1/groups/\(try #require(readers))", token: admin, body: #"{"permissions":["accounts:read","clients:manage"]}"#
            ).expectProblem(.unprocessableContent, code: "SR-1024")
            #expect(
                try await client.json(.patch, "/v1/groups/\(try #require(readers))", token: admin, body: #"{"permissions":["accounts:write"]}"#)
                    .status == .ok
            )
        }
    }

    /// A client that already belongs to a group granting a sensitive permission (a database
    /// from before step-up) can still be renamed and taken out of that group: only joining is
    /// refused.
    @Test func aClientAlreadyInASensitiveGroupCanBeTakenOutOfIt() async throws {
        try await TestServer.with(.sqlite) { client, prepared, _ in
            let (admin, _) = try await client.steppedUp()
            #expect(try await client.json(.post, "/v1/groups", token: admin, body: #"{"name":"readers","permissions":["accounts:read"]}"#).status == .created)
            let created = try await client.json(.post, "/v1/clients", token: admin, body: #"{"name":"old job","groups":["readers"]}"#)
            let clientID = try #require(try created.object()["client_id"] as? String)
            let administrators = try #require(try await prepared.persistence.identity.group(name: "administrators"))
            let readers = try #require(try await prepared.persistence.identity.group(name: "readers"))
            try await prepared.persistence.write { work in
                try await work.identity.setMemberships(
                    principalID: try #require(UUID(uuidString: clientID)), kind: .client, groupIDs: [readers.id, administrators.id]
                )
            }
            let renamed = try await client.json(.patch, "/v1/clients/\(clientID)", token: admin, body: #"{"name":"old job, renamed"}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            let left = try await client.json(.patch, "/v1/clients/\(clientID)", token: admin, body: #"{"groups":["readers"]}"#)
            #expect(left.status == .ok, "\(left.text)")
            #expect(try left.object()["groups"] as? [String] == ["readers"])
        }
    }

    static func claims(_ token: String) throws -> [String: Any] {
        let part = String(token.split(separator: ".")[1])
        let data = try #require(Data(base64Encoded: IdentityAttackTests.padded(part)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
