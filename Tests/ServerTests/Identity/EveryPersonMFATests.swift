import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// MFA for every person (issue 25, item 5): `usersRequireMfa` is on by default in production
/// and off in development; when on, every user without TOTP gets only the enrolment token at
/// login, and an outside issuer's caller gets its groups only with `amr` `mfa`. Machine
/// clients are not persons and are never asked.
@Suite("MFA for every person")
struct EveryPersonMFATests {
    static let readers = Group(
        id: UUID(), name: "readers", permissions: [.usersRead], requiresMFA: false, builtIn: false,
        createdAt: Timestamp(microsecondsSinceEpoch: 0)
    )
    static let treasury = Group(
        id: UUID(), name: "treasury", permissions: [.auditRead], requiresMFA: true, builtIn: false,
        createdAt: Timestamp(microsecondsSinceEpoch: 0)
    )
    static let administrators = Group(
        id: UUID(), name: Group.administratorsName, permissions: [.usersManage], requiresMFA: false, builtIn: true,
        createdAt: Timestamp(microsecondsSinceEpoch: 0)
    )

    // MARK: The rule, without I/O

    @Test func theRuleAsksEveryPersonOnlyWhenTheSettingIsOn() {
        let all = [Self.readers, Self.treasury, Self.administrators]
        let development = SecondFactorPolicy(administratorsRequireMFA: false, usersRequireMFA: false)
        #expect(!development.personNeedsSecondFactor(groups: [Self.readers, Self.administrators]))
        #expect(development.personNeedsSecondFactor(groups: [Self.readers, Self.treasury]))
        #expect(development.grantedGroups(all, multiFactor: false).map(\.name) == ["readers", "administrators"])

        let administratorsOnly = SecondFactorPolicy(administratorsRequireMFA: true, usersRequireMFA: false)
        #expect(!administratorsOnly.personNeedsSecondFactor(groups: [Self.readers]))
        #expect(administratorsOnly.personNeedsSecondFactor(groups: [Self.readers, Self.administrators]))
        #expect(administratorsOnly.grantedGroups(all, multiFactor: false).map(\.name) == ["readers"])

        let everyone = SecondFactorPolicy(administratorsRequireMFA: true, usersRequireMFA: true)
        #expect(everyone.personNeedsSecondFactor(groups: [Self.readers]))
        // The person must enrol, not a grant: one in no group is asked too.
        #expect(everyone.personNeedsSecondFactor(groups: []))
        #expect(everyone.grantedGroups(all, multiFactor: false).isEmpty)
        #expect(everyone.grantedGroups(all, multiFactor: true).map(\.name) == all.map(\.name))
    }

    // MARK: The setting

    @Test func theSettingFollowsTheEnvironmentUnlessSet() async throws {
        func load(_ environment: [String: String]) async throws -> ServerConfiguration {
            try await ConfigurationLoader.load(flags: [:], environment: environment)
        }
        let development = try await load([:])
        #expect(!development.usersRequireMFA)
        #expect(development.secondFactor == SecondFactorPolicy(administratorsRequireMFA: false, usersRequireMFA: false))
        let production = try await load(["STRONGROOM_ENVIRONMENT": "production"])
        #expect(production.usersRequireMFA)
        #expect(production.secondFactor == SecondFactorPolicy(administratorsRequireMFA: true, usersRequireMFA: true))

        #expect(try await load(["STRONGROOM_USERS_REQUIRE_MFA": "true"]).usersRequireMFA)
        let relaxed = try await load(["STRONGROOM_ENVIRONMENT": "production", "STRONGROOM_USERS_REQUIRE_MFA": "false"])
        #expect(!relaxed.usersRequireMFA)
        // Turning it off never lifts the administrators' rule.
        #expect(relaxed.administratorsRequireMFA)
        #expect(try await ConfigurationLoader.load(flags: ["usersRequireMfa": "yes"], environment: [:]).usersRequireMFA)

        do {
            _ = try await load(["STRONGROOM_USERS_REQUIRE_MFA": "sometimes"])
            Issue.record("accepted a value that is neither true nor false")
        } catch let error as ConfigurationError {
            #expect(error.message.contains("usersRequireMfa"))
        }
    }

    // MARK: Password login

    @Test func developmentKeepsTodaysBehaviourUnlessSet() async throws {
        try await TestServer.with(.sqlite) { client, prepared, config in
            #expect(!config.usersRequireMFA)
            _ = try await IdentityFixture.user("dev-reader", permissions: [.usersRead], client: client, prepared: prepared)
            let (token, restricted) = try await client.login("dev-reader", IdentityFixture.password)
            #expect(restricted == nil)
            #expect(try await client.json(.get, "/v1/permissions", token: token).status == .ok)
        }
    }

    @Test func productionSendsEveryUserWithoutTOTPToEnrolmentByDefault() async throws {
        try await TestServer.with(.sqlite, configure: { config, _ in config.environment = .production }) { client, prepared, config in
            #expect(config.usersRequireMFA)
            _ = try await IdentityFixture.user("clerk", permissions: [.usersRead], client: client, prepared: prepared)
            let (_, restricted) = try await client.login("clerk", IdentityFixture.password)
            #expect(restricted == "mfa_enrollment")
        }
    }

    @Test(arguments: TestBackend.available)
    func aUserInAnOrdinaryGroupEnrolsAtFirstLoginThenLogsInWithACode(backend: TestBackend) async throws {
        try await TestServer.with(backend, configure: { config, _ in config.usersRequireMFASetting = true }) { client, prepared, _ in
            // Neither the group nor the user asks for a second factor: the setting does.
            _ = try await IdentityFixture.user("teller", permissions: [.usersRead], client: client, prepared: prepared)
            let (restricted, kind) = try await client.login("teller", IdentityFixture.password)
            #expect(kind == "mfa_enrollment")
            try await client.json(.get, "/v1/permissions", token: restricted).expectProblem(.forbidden, code: "SR-1004")

            let enrolment = try await client.json(.post, "/v1/auth/mfa/totp", token: restricted)
            #expect(enrolment.status == .ok, "\(enrolment.text)")
            let secret = try #require(try enrolment.object()["secret"] as? String)
            let totp = TOTP(secret: try #require(Base32.decode(secret)))
            let step = TOTP.step(at: SystemClock().now().secondsSinceEpoch)
            let confirmed = try await client.json(
                .post, "/v1/auth/mfa/totp/confirm", token: restricted, body: #"{"totp":"\#(totp.code(atStep: step))"}"#
            )
            #expect(confirmed.status == .noContent)

            let login = try await client.json(
                .post, "/v1/auth/login",
                body: #"{"username":"teller","password":"\#(IdentityFixture.password)","totp":"\#(totp.code(atStep: step + 1))"}"#
            )
            #expect(login.status == .ok, "\(login.text)")
            #expect(try login.object()["restricted"] == nil)
            let token = try #require(try login.object()["access_token"] as? String)
            #expect(try await client.json(.get, "/v1/permissions", token: token).status == .ok)
        }
    }

    // MARK: Machine clients

    @Test func aMachineClientIsNotAPersonAndIsNeverAsked() async throws {
        try await TestServer.with(.sqlite, configure: { config, _ in config.environment = .production }) { client, prepared, config in
            #expect(config.usersRequireMFA)
            let id = UUID()
            let secret = "a machine secret of enough length for the test"
            let now = SystemClock().now()
            try await prepared.persistence.write { work in
                // Even a group that requires MFA asks nothing of a client, as before.
                let group = Group(
                    id: UUID(), name: "reporting", permissions: [.usersRead], requiresMFA: true, builtIn: false, createdAt: now
                )
                try await work.identity.insertGroup(group)
                try await work.identity.insertClient(MachineClient(
                    id: id, name: "reporting", secretHash: OpaqueSecret.hash(secret), previousSecretHash: nil,
                    previousSecretValidUntil: nil, status: .active, createdAt: now, updatedAt: now
                ))
                try await work.identity.setMemberships(principalID: id, kind: .client, groupIDs: [group.id])
            }
            let basic = Data("\(id.uuidString.lowercased()):\(secret)".utf8).base64EncodedString()
            let issued = try await client.json(
                .post, "/v1/auth/token", body: "grant_type=client_credentials",
                headers: [.authorization: "Basic \(basic)", .contentType: "application/x-www-form-urlencoded"]
            )
            #expect(issued.status == .ok, "\(issued.text)")
            let token = try #require(try issued.object()["access_token"] as? String)
            #expect(try await client.json(.get, "/v1/permissions", token: token).status == .ok)
        }
    }

    // MARK: An outside issuer's callers

    @Test func anOutsideCallerGetsItsGroupsOnlyWithASecondFactorWhenTheSettingIsOn() async throws {
        let provider = ExternalIssuerTests.Provider()
        try await TestServer.with(.sqlite, configure: { config, directory in
            try provider.configure(&config, directory: directory)
            config.usersRequireMFASetting = true
        }) { client, prepared, _ in
            try await ExternalIssuerTests.makeGroups(prepared)
            // `reader` maps to a group that does not itself require MFA.
            let password = try provider.sign(ExternalIssuerTests.Provider.claims(["reader"]))
            var claims = ExternalIssuerTests.Provider.claims(["reader"])
            claims["amr"] = ["pwd", "mfa"]
            let twoFactors = try provider.sign(claims)

            let me = try await client.json(.get, "/v1/auth/me", token: password)
            #expect(me.status == .ok)
            #expect(try me.object()["groups"] as? [String] == [])
            try await client.json(.get, "/v1/permissions", token: password).expectProblem(.forbidden)
            #expect(try await client.json(.get, "/v1/permissions", token: twoFactors).status == .ok)
        }
    }

    @Test func anOutsideCallerKeepsTodaysRuleWhenTheSettingIsOff() async throws {
        let provider = ExternalIssuerTests.Provider()
        try await TestServer.with(.sqlite, configure: { try provider.configure(&$0, directory: $1) }) { client, prepared, _ in
            try await ExternalIssuerTests.makeGroups(prepared)
            let password = try provider.sign(ExternalIssuerTests.Provider.claims(["reader", "treasury"]))
            #expect(try await client.json(.get, "/v1/permissions", token: password).status == .ok)
            try await client.json(.get, "/v1/audit/events", token: password).expectProblem(.forbidden)
        }
    }
}
