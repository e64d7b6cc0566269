import Audit
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Secrets
import Storage
@testable import StrongroomEdge
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// The attack suite of the identity issue: each forged, stale, misdirected or revoked
/// credential is refused, on a real server over a real store.
@Suite("Identity attacks")
struct IdentityAttackTests {
    @Test func forgedAndMisdirectedTokensAreRefused() async throws {
        try await TestServer.with(.sqlite) { client, prepared, _ in
            let (subject, good) = try await IdentityFixture.user("mallory", permissions: [.usersRead], client: client, prepared: prepared)
            #expect(try await client.json(.get, "/v1/auth/me", token: good).status == .ok)
            let (kid, key) = try await IdentityFixture.signingKey(prepared)
            let header: [String: Any] = ["alg": "EdDSA", "typ": "at+jwt", "kid": kid]
            let now = SystemClock().now().secondsSinceEpoch
            func claims(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
                var claims = IdentityFixture.claims(subject: subject, now: now)
                change(&claims)
                return claims
            }
            // The control: a token forged exactly as the server issues them passes, so each
            // refusal below is down to the one thing changed.
            let control = try IdentityFixture.forge(header: header, claims: claims { _ in }, key: key)
            #expect(try await client.json(.get, "/v1/auth/me", token: control).status == .ok)

            let publicKey = Array(key.publicKey.rawRepresentation)
            var tampered = good.split(separator: ".").map(String.init)
            let payloadBytes = try #require(Data(base64Encoded: Self.padded(tampered[1])))
            var payload = try #require(try JSONSerialization.jsonObject(with: payloadBytes) as? [String: Any])
            payload["knd"] = "client"
            tampered[1] = IdentityFixture.base64URL(try JSONSerialization.data(withJSONObject: payload))

            let attacks: [(String, String)] = [
                ("alg none", try IdentityFixture.forge(header: ["alg": "none", "typ": "at+jwt", "kid": kid], claims: claims { _ in })),
                ("HS256 keyed with the public key", try IdentityFixture.forge(
                    header: ["alg": "HS256", "typ": "at+jwt", "kid": kid], claims: claims { _ in },
                    sign: { Array(HMAC<SHA256>.authenticationCode(for: $0, using: SymmetricKey(data: publicKey))) }
                )),
                ("expired", try IdentityFixture.forge(
                    header: header, claims: claims { $0["exp"] = now - 10; $0["iat"] = now - 310; $0["nbf"] = now - 310 }, key: key
                )),
                ("nbf in the future", try IdentityFixture.forge(header: header, claims: claims { $0["nbf"] = now + 120 }, key: key)),
                ("wrong aud", try IdentityFixture.forge(header: header, claims: claims { $0["aud"] = "another-api" }, key: key)),
                ("wrong iss", try IdentityFixture.forge(header: header, claims: claims { $0["iss"] = "https://evil.example" }, key: key)),
                ("tampered payload", tampered.joined(separator: ".")),
                ("unknown kid", try IdentityFixture.forge(
                    header: ["alg": "EdDSA", "typ": "at+jwt", "kid": "0123456789abcdef"], claims: claims { _ in }, key: key
                )),
                ("a stranger's key", try IdentityFixture.forge(header: header, claims: claims { _ in }, key: Curve25519.Signing.PrivateKey())),
                ("wrong typ", try IdentityFixture.forge(header: ["alg": "EdDSA", "typ": "JWT", "kid": kid], claims: claims { _ in }, key: key)),
                ("no typ", try IdentityFixture.forge(header: ["alg": "EdDSA", "kid": kid], claims: claims { _ in }, key: key)),
                ("lifetime too long", try IdentityFixture.forge(header: header, claims: claims { $0["exp"] = now + 86_400 }, key: key)),
                ("a subject that is no principal", try IdentityFixture.forge(
                    header: header, claims: claims { $0["sub"] = UUID().uuidString.lowercased() }, key: key
                )),
                ("a restricted client token", try IdentityFixture.forge(
                    header: header, claims: claims { $0["knd"] = "client"; $0["rst"] = "password_change" }, key: key
                )),
            ]
            for (name, token) in attacks {
                let response = try await client.json(.get, "/v1/auth/me", token: token)
                #expect(response.status == .unauthorized, "\(name) was answered \(response.status.code)")
            }
        }
    }

    /// A verified token is remembered so its signature is not checked on every request, but
    /// never past its expiry. The server's clock stands still until the test moves it, so a
    /// loaded machine cannot let the token expire before the first two requests.
    @Test func aTokenVerifiedBeforeStillExpiresOnTime() async throws {
        let clock = SteppingClock(start: SystemClock().now())
        try await TestServer.with(.sqlite, clock: clock) { client, prepared, _ in
            let (subject, _) = try await IdentityFixture.user("eve", permissions: [.usersRead], client: client, prepared: prepared)
            let (kid, key) = try await IdentityFixture.signingKey(prepared)
            let now = clock.now().secondsSinceEpoch
            var claims = IdentityFixture.claims(subject: subject, now: now - 100)
            claims["exp"] = now + 2
            let token = try IdentityFixture.forge(header: ["alg": "EdDSA", "typ": "at+jwt", "kid": kid], claims: claims, key: key)
            #expect(try await client.json(.get, "/v1/auth/me", token: token).status == .ok)
            #expect(try await client.json(.get, "/v1/auth/me", token: token).status == .ok)
            clock.advance(seconds: 3)
            #expect(try await client.json(.get, "/v1/auth/me", token: token).status == .unauthorized)
        }
    }

    static func padded(_ base64URL: String) -> String {
        let text = base64URL.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return text + String(repeating: "=", count: (4 - text.count % 4) % 4)
    }

    @Test func revokedTokensAndDisabledUsersStopWorking() async throws {
        try await TestServer.with(.sqlite) { client, prepared, _ in
            let admin = try await client.steppedUp().token
            // A revoked access token is refused (RFC 7009 answers 200 either way).
            let (_, revoked) = try await IdentityFixture.user("rita", permissions: [.usersRead], client: client, prepared: prepared)
            #expect(try await client.json(.post, "/v1/auth/revoke", body: #"{"token":"\#(revoked)"}"#).status == .ok)
            #expect(try await client.json(.get, "/v1/auth/me", token: revoked).status == .unauthorized)
            #expect(try await client.json(.post, "/v1/auth/revoke", body: #"{"token":"not a token"}"#).status == .ok)

            // A disabled user's token, already in use (so cached), stops within 10 seconds.
            let (dora, token) = try await IdentityFixture.user("dora", permissions: [.usersRead], client: client, prepared: prepared)
            #expect(try await client.json(.get, "/v1/auth/me", token: token).status == .ok)
            let disable = try await client.json(.patch, "/v1/users/\(dora.uuidString.lowercased())", token: admin, body: #"{"status":"disabled"}"#)
            #expect(disable.status == .ok, "\(disable.text)")
            let started = ContinuousClock.now
            var status = HTTPResponse.Status.ok
            while status == .ok, ContinuousClock.now - started < .seconds(10) {
                status = try await client.json(.get, "/v1/auth/me", token: token).status
                if status == .ok { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(status == .unauthorized)
            #expect(ContinuousClock.now - started < .seconds(10))
            let login = try await client.json(.post, "/v1/auth/login", body: #"{"username":"dora","password":"\#(IdentityFixture.password)"}"#)
            try login.expectProblem(.unauthorized, code: "SR-1002")
        }
    }

    @Test(arguments: TestBackend.available)
    func aSpentRefreshTokenKillsItsFamily(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            _ = try await IdentityFixture.user("frank", permissions: [.usersRead], client: client, prepared: prepared)
            let login = try await client.json(.post, "/v1/auth/login", body: #"{"username":"frank","password":"\#(IdentityFixture.password)"}"#)
            let first = try #require(try login.object()["refresh_token"] as? String)
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let rotated = try await client.json(.post, "/v1/auth/token", body: "grant_type=refresh_token&refresh_token=\(first)", headers: form)
            #expect(rotated.status == .ok)
            #expect(rotated.headers[.cacheControl] == "no-store")
            let second = try #require(try rotated.object()["refresh_token"] as? String)
            let access = try #require(try rotated.object()["access_token"] as? String)
            #expect(try await client.json(.get, "/v1/auth/me", token: access).status == .ok)

            // The thief replays the first token: refused, and the family dies with it.
            let replay = try await client.json(.post, "/v1/auth/token", body: #"{"grant_type":"refresh_token","refresh_token":"\#(first)"}"#)
            #expect(replay.status == .badRequest)
            #expect(try replay.object()["error"] as? String == "invalid_grant")
            let after = try await client.json(.post, "/v1/auth/token", body: #"{"grant_type":"refresh_token","refresh_token":"\#(second)"}"#)
            #expect(try after.object()["error"] as? String == "invalid_grant")
            let records = try await prepared.persistence.audit.page(AuditQuery(action: "auth.token", outcome: "denied", limit: 10))
            #expect(records.contains { $0.summary.contains("reuse_detected") })

            for (body, error) in [
                ("grant_type=password&username=a", "unsupported_grant_type"), ("refresh_token=x", "invalid_request"),
                ("grant_type=refresh_token&grant_type=refresh_token&refresh_token=x", "invalid_request"),
                ("grant_type=refresh_token&refresh_token=unknown", "invalid_grant"),
            ] {
                let answer = try await client.json(.post, "/v1/auth/token", body: body, headers: form)
                #expect(answer.status == .badRequest)
                #expect(try answer.object()["error"] as? String == error, "\(body)")
            }
        }
    }

    @Test func aRestrictedTokenOpensNothingElse() async throws {
        try await TestServer.with(.sqlite, adminPassword: nil) { client, prepared, config in
            let password = try String(contentsOfFile: config.dataDirectory + "/initial-admin-password", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let (token, restricted) = try await client.login("admin", password)
            #expect(restricted == "password_change")
            for route in try ServerApp.routeTable(config, prepared: prepared).routes {
                if case .publicRoute = route.access { continue }
                if route.path == "/v1/auth/password" { continue }
                // A route naming its organization in a header needs one to reach the decision.
                let headers: HTTPFields = route.declaration.organizationInHeader
                    ? [HTTPField.Name("X-Organization-Id")!: UUID().uuidString.lowercased()] : [:]
                let response = try await client.json(route.method, route.path, token: token, headers: headers)
                #expect(response.status == .forbidden, "\(route.method) \(route.path) answered \(response.status.code)")
            }
        }
    }

    @Test func loginIsThrottledAndTheLockHoldsEvenForTheRightPassword() async throws {
        // Time stands still: the first lock lasts 1 s, and on a loaded machine (the whole suite
        // at once on two cores) a request can take longer than that.
        try await TestServer.with(.sqlite, clock: SteppingClock(start: SystemClock().now())) { client, prepared, _ in
            _ = try await IdentityFixture.user("tess", permissions: [.usersRead], client: client, prepared: prepared)
            let wrong = #"{"username":"tess","password":"wrong but long enough"}"#
            // The fixture's login made this source known to tess's account, so the account's
            // lock does not bind it: only the source's own (after 20 failures) does.
            for _ in 0..<20 { try await client.json(.post, "/v1/auth/login", body: wrong).expectProblem(.unauthorized, code: "SR-1002") }
            let throttled = try await client.json(.post, "/v1/auth/login", body: wrong)
            try throttled.expectProblem(.tooManyRequests, code: "SR-1015")
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Even the right password waits: no password is checked while locked.
            let right = try await client.json(.post, "/v1/auth/login", body: #"{"username":"tess","password":"\#(IdentityFixture.password)"}"#)
            try right.expectProblem(.tooManyRequests, code: "SR-1015")
            let counters = try await prepared.persistence.identity.loginCounters(keys: [LoginThrottle.sourceKey(address: nil)])
            #expect(counters.values.first?.failures == 20)
        }
    }
}
