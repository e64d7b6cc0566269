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

/// `GET /metrics`: what the login, token, guard and edge counters say after a known run of
/// requests, who may read them, and that each server counts only its own.
@Suite("Metrics")
struct MetricsTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static let sampledPrefixes = ["process_", "db_client_connection_", "strongroom_audit_outbox_depth", "strongroom_audit_checkpoint_age_"]

    /// The exposition's series, `name{labels}` → value, from lines as Prometheus writes them.
    static func series(_ text: String) -> [String: Int] {
        var values: [String: Int] = [:]
        // The group-commit histograms are the ledger's and are checked by its own tests; the
        // request durations by `RequestDurationTests`; the sampled process, pool, outbox and
        // checkpoint series, which no run of requests fixes exactly, by `RuntimeMetricsTests`.
        for line in text.split(separator: "\n")
        where !line.hasPrefix("#") && !line.hasPrefix("strongroom_group_commit_") && !line.hasPrefix("http_server_request_duration_")
            && !sampledPrefixes.contains(where: { line.hasPrefix($0) })
        {
            guard let space = line.lastIndex(of: " "), let value = Int(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }

    static func scrape(_ client: any TestClientProtocol, token: String) async throws -> (text: String, series: [String: Int]) {
        let response = try await client.json(.get, "/metrics", token: token)
        #expect(response.status == .ok, "\(response.text)")
        #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
        return (response.text, series(response.text))
    }

    static func login(_ client: any TestClientProtocol, _ username: String, _ password: String) async throws -> TestResponse {
        try await client.json(.post, "/v1/auth/login", body: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }

    @Test func loginsTokensDenialsAndResponsesAreCountedExactly() async throws {
        // Time stands still, so the account's first lock (1 s) cannot run out before the
        // throttled attempt on a loaded machine.
        try await TestServer.with(.sqlite, clock: SteppingClock(start: SystemClock().now())) { client, prepared, _ in
            // Logins that succeed: three unrestricted, one restricted to MFA enrolment.
            let (_, scraper) = try await IdentityFixture.user("scraper", permissions: [.metricsRead], client: client, prepared: prepared)
            let (_, nosy) = try await IdentityFixture.user("nosy", permissions: [.usersRead], client: client, prepared: prepared)
            let (_, enrollee) = try await IdentityFixture.user("enrollee", permissions: [], requiresMFA: true, client: client, prepared: prepared)
            let admin = try await Self.login(client, "admin", TestServer.adminPassword)
            #expect(admin.status == .ok)
            let refresh = try #require(try admin.object()["refresh_token"] as? String)

            // Seven failures, the last five on one account, whose fifth locks it: the next
            // attempt is throttled.
            for name in ["nobody", "nobody", "mallory", "mallory", "mallory", "mallory", "mallory"] {
                try await Self.login(client, name, "not the password at all").expectProblem(.unauthorized, code: "SR-1002")
            }
            try await Self.login(client, "mallory", "not the password at all").expectProblem(.tooManyRequests, code: "SR-1015")

            // Token requests: a refresh, the same refresh token again (reuse), a wrong client.
            let rotated = try await client.json(.post, "/v1/auth/token", body: "grant_type=refresh_token&refresh_token=\(refresh)", headers: Self.form)
            #expect(rotated.status == .ok, "\(rotated.text)")
            let replayed = try await client.json(.post, "/v1/auth/token", body: "grant_type=refresh_token&refresh_token=\(refresh)", headers: Self.form)
            #expect(replayed.status == .badRequest)
            var wrongClient = Self.form
            wrongClient[.authorization] = "Basic " + Data("\(UUID().uuidString):nope".utf8).base64EncodedString()
            #expect(try await client.json(.post, "/v1/auth/token", body: "grant_type=client_credentials", headers: wrongClient).status == .unauthorized)
            // No supported grant named: not a token request of any grant type.
            #expect(try await client.json(.post, "/v1/auth/token", body: "scope=x", headers: Self.form).status == .badRequest)

            // Denials: no token, a token without metrics:read, a restricted token.
            try await client.json(.get, "/metrics").expectProblem(.unauthorized, code: "SR-1001")
            try await client.json(.get, "/metrics", token: nosy).expectProblem(.forbidden, code: "SR-1003")
            try await client.json(.get, "/metrics", token: enrollee).expectProblem(.forbidden, code: "SR-1004")
            // The not-found responder goes through the edge too.
            try await client.json(.get, "/nowhere").expectProblem(.notFound)

            let (text, series) = try await Self.scrape(client, token: scraper)
            #expect(text.contains("# TYPE strongroom_login_attempts_total counter\n"))
            let expected: [String: Int] = [
                #"strongroom_login_attempts_total{outcome="success"}"#: 3,
                #"strongroom_login_attempts_total{outcome="restricted"}"#: 1,
                #"strongroom_login_attempts_total{outcome="failure"}"#: 7,
                #"strongroom_login_attempts_total{outcome="throttled"}"#: 1,
                #"strongroom_token_requests_total{grant_type="refresh_token",outcome="success"}"#: 1,
                #"strongroom_token_requests_total{grant_type="refresh_token",outcome="failure"}"#: 1,
                #"strongroom_token_requests_total{grant_type="client_credentials",outcome="success"}"#: 0,
                #"strongroom_token_requests_total{grant_type="client_credentials",outcome="failure"}"#: 1,
                "strongroom_refresh_token_reuse_total": 1,
                #"strongroom_access_denied_total{reason="unauthenticated"}"#: 1,
                #"strongroom_access_denied_total{reason="forbidden"}"#: 2,
                // 2xx: four logins and the refresh (this scrape is counted once answered).
                #"strongroom_http_responses_total{status_class="2xx"}"#: 5,
                #"strongroom_http_responses_total{status_class="3xx"}"#: 0,
                // 4xx: eight logins, three token requests, three denials and the 404.
                #"strongroom_http_responses_total{status_class="4xx"}"#: 15,
                #"strongroom_http_responses_total{status_class="5xx"}"#: 0,
                // Tracing is off: nothing to drop.
                "strongroom_telemetry_spans_dropped_total": 0,
            ]
            #expect(series == expected, "\(text)")

            let (_, again) = try await Self.scrape(client, token: scraper)
            #expect(again[#"strongroom_http_responses_total{status_class="2xx"}"#] == 6)
        }
    }

    /// Many servers in one process (as in this test run) each count only their own.
    @Test func eachServerCountsOnlyItsOwn() async throws {
        try await TestServer.with(.sqlite) { first, firstPrepared, _ in
            let (_, firstScraper) = try await IdentityFixture.user(
                "scraper", permissions: [.metricsRead], client: first, prepared: firstPrepared
            )
            try await Self.login(first, "nobody", "not the password at all").expectProblem(.unauthorized)
            try await TestServer.with(.sqlite) { second, secondPrepared, _ in
                let (_, secondScraper) = try await IdentityFixture.user(
                    "scraper", permissions: [.metricsRead], client: second, prepared: secondPrepared
                )
                let failures = #"strongroom_login_attempts_total{outcome="failure"}"#
                #expect(try await Self.scrape(second, token: secondScraper).series[failures] == 0)
                #expect(try await Self.scrape(first, token: firstScraper).series[failures] == 1)
            }
        }
    }

    /// A database bootstrapped before `metrics:read` existed: at the next start its
    /// administrators hold the whole catalogue again, and the audit trail says so.
    @Test(arguments: TestBackend.available)
    func administratorsOfAnOlderDatabaseGetNewPermissionsAtStart(backend: TestBackend) async throws {
        let database = try await TestDatabase.create(backend)
        let config = TestServer.configuration(for: database, adminPassword: TestServer.adminPassword)
        do {
            let older = try await ServerApp.prepare(config, executor: InlineExecutor(), logger: TestDatabase.logger)
            try await older.persistence.write { work in
                var administrators = try #require(try await work.identity.group(name: Group.administratorsName))
                #expect(administrators.permissions == PermissionCatalogue.all)
                administrators.permissions.remove(.metricsRead)
                try await work.identity.updateGroup(administrators)
            }
            await older.persistence.close()

            let restarted = try await ServerApp.prepare(config, executor: InlineExecutor(), logger: TestDatabase.logger)
            let administrators = try await restarted.persistence.identity.group(name: Group.administratorsName)
            #expect(administrators?.permissions == PermissionCatalogue.all)
            let records = try await restarted.persistence.audit.page(AuditQuery(action: "group.update", limit: 10))
            #expect(records.count == 1)
            #expect(records.first?.actorKind == "system")
            #expect(records.first?.summary.contains("metrics:read") == true, "\(records.first?.summary ?? "")")
            await restarted.persistence.close()

            // A start that finds nothing missing records nothing.
            let again = try await ServerApp.prepare(config, executor: InlineExecutor(), logger: TestDatabase.logger)
            #expect(try await again.persistence.audit.page(AuditQuery(action: "group.update", limit: 10)).count == 1)
            await again.persistence.close()
        } catch {
            await database.destroy()
            throw error
        }
        await database.destroy()
    }
}
