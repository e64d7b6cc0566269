import Audit
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Storage
@testable import StrongroomEdge
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Tokens of a trusted outside identity provider: accepted when they are exactly right, mapped
/// to Strongroom groups through the configured claim, and refused (401) for each thing wrong,
/// on a real server over a real store.
@Suite("Outside identity provider")
struct ExternalIssuerTests {
    static let issuer = "https://idp.example"
    static let audience = "strongroom-ledger"

    /// The provider: an ES256 key in its published set, and the configuration that trusts it.
    struct Provider: Sendable {
        let key = P256.Signing.PrivateKey()
        var kid = "idp-key-1"

        var jwks: String {
            let raw = Array(key.publicKey.rawRepresentation)
            let x = IdentityFixture.base64URL(raw.prefix(32)), y = IdentityFixture.base64URL(raw.suffix(32))
            return #"{"keys":[{"kty":"EC","crv":"P-256","use":"sig","kid":"\#(kid)","x":"\#(x)","y":"\#(y)"}]}"#
        }

        func configure(_ config: inout ServerConfiguration, directory: String) throws {
            config.externalIssuer = try configuration(directory: directory)
        }

        /// Publishes the key set in `directory` and answers the configuration trusting it.
        func configuration(directory: String) throws -> ExternalIssuerConfiguration {
            let path = directory + "/idp-jwks.json"
            try jwks.write(toFile: path, atomically: true, encoding: .utf8)
            return ExternalIssuerConfiguration(
                issuer: ExternalIssuer(
                    issuer: ExternalIssuerTests.issuer, audience: ExternalIssuerTests.audience, groupsClaim: "roles",
                    groupMap: ["ledger-admin": ["ext-writers"], "reader": ["ext-readers"], "treasury": ["ext-mfa"]],
                    tokenTypes: ["at+jwt"], maxLifetimeSeconds: 3600
                ),
                keySetPath: path
            )
        }

        static func claims(_ roles: [String], now: Int64 = SystemClock().now().secondsSinceEpoch) -> [String: Any] {
            [
                "iss": ExternalIssuerTests.issuer, "aud": [ExternalIssuerTests.audience, "other-api"], "sub": "auth0|5f7c8ec7c33c6c004bbafe82",
                "exp": now + 600, "iat": now, "jti": UUID().uuidString, "roles": roles,
            ]
        }

        var header: [String: Any] { ["alg": "ES256", "typ": "at+jwt", "kid": kid] }

        func sign(header: [String: Any]? = nil, _ claims: [String: Any], with key: P256.Signing.PrivateKey? = nil) throws -> String {
            let signer = key ?? self.key
            return try IdentityFixture.forge(header: header ?? self.header, claims: claims) { input in
                Array((try? signer.signature(for: input).rawRepresentation) ?? Data())
            }
        }
    }

    /// The groups the map names: writers may create organizations, readers read the
    /// catalogue, and `ext-mfa` grants only to a caller who used a second factor.
    static func makeGroups(_ prepared: ServerApp.Prepared) async throws {
        let now = SystemClock().now()
        try await prepared.persistence.write { work in
            for (name, permissions, mfa) in [
                ("ext-writers", Set([Permission.organizationsWrite, .usersRead]), false), ("ext-readers", [.usersRead], false),
                ("ext-mfa", [.auditRead], true),
            ] {
                try await work.identity.insertGroup(Group(
                    id: UUID(), name: name, permissions: permissions, requiresMFA: mfa, builtIn: false, createdAt: now
                ))
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func aMappedCallerActsWithItsGroupsGrantsAndIsAudited(backend: TestBackend) async throws {
        let provider = Provider()
        try await TestServer.with(backend, configure: { try provider.configure(&$0, directory: $1) }) { client, prepared, _ in
            try await Self.makeGroups(prepared)
            let token = try provider.sign(Provider.claims(["reader", "ledger-admin", "unmapped-role"]))

            let me = try await client.json(.get, "/v1/auth/me", token: token)
            #expect(me.status == .ok, "\(me.text)")
            let object = try me.object()
            let expectedID = try #require(prepared.external).issuer.principalID(subject: "auth0|5f7c8ec7c33c6c004bbafe82")
            #expect(object["kind"] as? String == "external")
            #expect(object["id"] as? String == expectedID.uuidString.lowercased())
            #expect(object["groups"] as? [String] == ["ext-readers", "ext-writers"])
            #expect(try await client.json(.get, "/v1/permissions", token: token).status == .ok)

            let created = try await client.json(
                .post, "/v1/organizations", token: token, body: #"{"legalName":"Outside Ltd","legalDocument":"87654321"}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let records = try await prepared.persistence.audit.page(AuditQuery(action: "organization.create", limit: 10))
            let record = try #require(records.last)
            #expect(record.actorKind == "external")
            #expect(record.actorID == expectedID.uuidString.lowercased())
            #expect(!record.summary.contains("auth0|"), "the subject stays out of the trail")

            // Only mapped values grant anything: a caller of the provider with no mapped role
            // is known but may do nothing.
            let stranger = try provider.sign(Provider.claims(["unmapped-role"]))
            #expect(try await client.json(.get, "/v1/auth/me", token: stranger).status == .ok)
            try await client.json(.get, "/v1/permissions", token: stranger).expectProblem(.forbidden)
            // An outside caller has no password here to change.
            try await client.json(
                .post, "/v1/auth/password", token: token, body: #"{"current_password":"x","new_password":"a new long passphrase"}"#
            ).expectProblem(.forbidden)
        }
    }

    /// An outside caller steps up at its issuer: a sensitive permission works for a token
    /// whose `amr` holds `mfa` or `otp` and whose `auth_time` is under the step-up lifetime
    /// old, and for no other.
    @Test func anOutsideCallerIsSteppedUpByARecentSecondFactorAtItsIssuer() async throws {
        let provider = Provider()
        let clock = SteppingClock(start: SystemClock().now())
        try await TestServer.with(.sqlite, clock: clock, configure: { try provider.configure(&$0, directory: $1) }) { client, prepared, _ in
            try await prepared.persistence.write { work in
                try await work.identity.insertGroup(Group(
                    id: UUID(), name: "ext-mfa", permissions: [.keysManage], requiresMFA: false, builtIn: false, createdAt: clock.now()
                ))
            }
            let now = clock.now().secondsSinceEpoch
            func rotate(issuedAt: Int64 = now, _ change: (inout [String: Any]) -> Void) async throws -> TestResponse {
                var claims = Provider.claims(["treasury"], now: issuedAt)
                change(&claims)
                return try await client.json(.post, "/v1/keys/rotate", token: try provider.sign(claims))
            }
            try (try await rotate { _ in }).expectProblem(.forbidden, code: "SR-1022")
            try (try await rotate { $0["amr"] = ["pwd"]; $0["auth_time"] = now }).expectProblem(.forbidden, code: "SR-1022")
            // A second factor at an unknown time is not a recent one.
            try (try await rotate { $0["amr"] = ["pwd", "mfa"] }).expectProblem(.forbidden, code: "SR-1022")
            try (try await rotate { $0["amr"] = ["otp"]; $0["auth_time"] = now - StepUpPolicy.defaultLifetimeSeconds })
                .expectProblem(.forbidden, code: "SR-1022")
            // An auth_time after the token's issue counts from the issue, no later.
            let late = try await rotate { $0["amr"] = ["mfa"]; $0["auth_time"] = now + 3_600 }
            #expect(late.status == .created, "\(late.text)")
            clock.advance(seconds: StepUpPolicy.defaultLifetimeSeconds)
            try (try await rotate { $0["amr"] = ["mfa"]; $0["auth_time"] = now + 3_600 }).expectProblem(.forbidden, code: "SR-1022")
            let later = now + StepUpPolicy.defaultLifetimeSeconds
            let fresh = try await rotate(issuedAt: later) { $0["amr"] = ["pwd", "otp"]; $0["auth_time"] = later }
            #expect(fresh.status == .created, "\(fresh.text)")
        }
    }

    @Test func aGroupThatRequiresASecondFactorGrantsOnlyWhenTheIssuerSaysOneWasUsed() async throws {
        let provider = Provider()
        try await TestServer.with(.sqlite, configure: { try provider.configure(&$0, directory: $1) }) { client, prepared, _ in
            try await Self.makeGroups(prepared)
            let password = try provider.sign(Provider.claims(["treasury"]))
            var claims = Provider.claims(["treasury"])
            claims["amr"] = ["pwd", "mfa"]
            let twoFactors = try provider.sign(claims)
            try await client.json(.get, "/v1/audit/events", token: password).expectProblem(.forbidden)
            #expect(try await client.json(.get, "/v1/audit/events", token: twoFactors).status == .ok)
        }
    }

    @Test func everyWrongTokenIsRefused() async throws {
        let provider = Provider()
        try await TestServer.with(.sqlite, configure: { try provider.configure(&$0, directory: $1) }) { client, prepared, _ in
            try await Self.makeGroups(prepared)
            let now = SystemClock().now().secondsSinceEpoch
            func claims(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
                var claims = Provider.claims(["reader"], now: now)
                change(&claims)
                return claims
            }
            // The control passes, so each refusal below is down to the one thing changed.
            #expect(try await client.json(.get, "/v1/auth/me", token: try provider.sign(claims { _ in })).status == .ok)

            let publicJWK = Array(provider.jwks.utf8)
            let good = try provider.sign(claims { _ in }).split(separator: ".").map(String.init)
            let forgedPayload = IdentityFixture.base64URL(
                try JSONSerialization.data(withJSONObject: claims { $0["roles"] = ["ledger-admin"] }, options: .sortedKeys)
            )
            let (ourKid, ourKey) = try await IdentityFixture.signingKey(prepared)
            let attacks: [(String, String)] = [
                ("alg none", try IdentityFixture.forge(header: ["alg": "none", "typ": "at+jwt", "kid": provider.kid], claims: claims { _ in })),
                ("HS256 keyed with the published key", try IdentityFixture.forge(
                    header: ["alg": "HS256", "typ": "at+jwt", "kid": provider.kid], claims: claims { _ in },
                    sign: { Array(HMAC<SHA256>.authenticationCode(for: $0, using: SymmetricKey(data: publicJWK))) }
                )),
                ("another algorithm than the key's", try provider.sign(
                    header: ["alg": "ES384", "typ": "at+jwt", "kid": provider.kid], claims { _ in }
                )),
                ("expired", try provider.sign(claims { $0["exp"] = now - 10; $0["iat"] = now - 610 })),
                ("nbf in the future", try provider.sign(claims { $0["nbf"] = now + 120 })),
                ("issued in the future", try provider.sign(claims { $0["iat"] = now + 120; $0["exp"] = now + 700 })),
                ("wrong aud", try provider.sign(claims { $0["aud"] = "another-api" })),
                ("no aud", try provider.sign(claims { $0["aud"] = nil })),
                ("wrong iss", try provider.sign(claims { $0["iss"] = "https://evil.example" })),
                ("tampered payload", [good[0], forgedPayload, good[2]].joined(separator: ".")),
                ("unknown kid", try provider.sign(header: ["alg": "ES256", "typ": "at+jwt", "kid": "idp-key-9"], claims { _ in })),
                ("no kid", try provider.sign(header: ["alg": "ES256", "typ": "at+jwt"], claims { _ in })),
                ("a stranger's key", try provider.sign(claims { _ in }, with: P256.Signing.PrivateKey())),
                ("wrong typ", try provider.sign(header: ["alg": "ES256", "typ": "JWT", "kid": provider.kid], claims { _ in })),
                ("no typ", try provider.sign(header: ["alg": "ES256", "kid": provider.kid], claims { _ in })),
                ("a crit header", try provider.sign(
                    header: ["alg": "ES256", "typ": "at+jwt", "kid": provider.kid, "crit": ["exp"]], claims { _ in }
                )),
                ("lifetime too long", try provider.sign(claims { $0["exp"] = now + 7200 })),
                ("no subject", try provider.sign(claims { $0["sub"] = nil })),
                ("empty subject", try provider.sign(claims { $0["sub"] = "" })),
                ("the outside issuer's name signed with our key", try IdentityFixture.forge(
                    header: ["alg": "EdDSA", "typ": "at+jwt", "kid": ourKid], claims: claims { _ in }, key: ourKey
                )),
                ("our claims signed with the outside key", try provider.sign(
                    header: ["alg": "ES256", "typ": "at+jwt", "kid": provider.kid],
                    IdentityFixture.claims(subject: try #require(try await prepared.persistence.identity.user(username: Username("admin"))).id)
                )),
            ]
            for (name, token) in attacks {
                let response = try await client.json(.get, "/v1/auth/me", token: token)
                #expect(response.status == .unauthorized, "\(name) was answered \(response.status.code)")
            }
        }
    }

    @Test func aServerWithoutTheProviderRefusesItsTokens() async throws {
        let provider = Provider()
        try await TestServer.with(.sqlite) { client, _, _ in
            let token = try provider.sign(Provider.claims(["reader"]))
            #expect(try await client.json(.get, "/v1/auth/me", token: token).status == .unauthorized)
        }
    }

    @Test func aKeyFileThatIsNotAnAcceptableKeySetStopsTheStart() async throws {
        let provider = Provider()
        for contents in ["not json", #"{"keys":[{"kty":"oct","kid":"k","k":"c2VjcmV0"}]}"#] {
            await #expect(throws: ConfigurationError.self) {
                try await TestServer.with(.sqlite, configure: { config, directory in
                    try provider.configure(&config, directory: directory)
                    try contents.write(toFile: directory + "/idp-jwks.json", atomically: true, encoding: .utf8)
                }) { _, _, _ in }
            }
        }
    }

    /// The provider rotates its key: a token naming the new `kid` is refused until the file is
    /// read again, which happens at most once per reload interval.
    @Test func aRotatedProviderKeyIsPickedUpFromTheFile() async throws {
        let old = Provider()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = SteppingClock(start: SystemClock().now())
        let authority = try await ExternalTokenAuthority(
            configuration: try old.configuration(directory: directory), clock: clock, logger: TestDatabase.logger
        )
        let now = clock.now().secondsSinceEpoch
        #expect(try await authority.verify(old.sign(Provider.claims(["reader"], now: now))).groupNames == ["ext-readers"])

        var new = Provider()
        new.kid = "idp-key-2"
        try new.jwks.write(toFile: directory + "/idp-jwks.json", atomically: true, encoding: .utf8)
        let rotated = try new.sign(Provider.claims(["reader"], now: now))
        await #expect(throws: AccessTokenService.Rejection.unknownKey) { _ = try await authority.verify(rotated) }
        clock.advance(seconds: 11)
        #expect(try await authority.verify(rotated).groupNames == ["ext-readers"])
        // The old key left the set with the reload.
        await #expect(throws: AccessTokenService.Rejection.unknownKey) {
            _ = try await authority.verify(old.sign(Provider.claims(["reader"], now: now)))
        }
    }
}
