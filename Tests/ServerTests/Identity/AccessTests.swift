import Controls
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Logging
import Storage
@testable import StrongroomEdge
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// The access model end to end: the route matrix, one organization's operator against
/// another's books, read-only users and clients, key rotation and the second factor.
@Suite("Access")
struct AccessTests {
    /// Every declared route: no token → 401 unless public; a token holding every permission
    /// but the route's → 403; a token holding only the route's → neither.
    @Test func theRouteMatrix() async throws {
        try await TestServer.with(.sqlite) { client, prepared, config in
            let routes = try ServerApp.routeTable(config, prepared: prepared).routes
            var holders: [Permission: (has: String, lacks: String, notSteppedUp: String?)] = [:]
            for permission in PermissionCatalogue.all.sorted() {
                let name = permission.rawValue.replacingOccurrences(of: ":", with: ".")
                let has = try await IdentityFixture.user("has-\(name)", permissions: [permission], client: client, prepared: prepared)
                let lacks = try await IdentityFixture.user(
                    "lacks-\(name)", permissions: PermissionCatalogue.all.subtracting([permission]), client: client, prepared: prepared
                )
                let plain = PermissionCatalogue.sensitive.contains(permission)
                    ? try await IdentityFixture.user("plain-\(name)", permissions: [permission], stepUp: false, client: client, prepared: prepared)
                    : nil
                holders[permission] = (has.token, lacks.token, plain?.token)
            }
            let (anyone, _) = try await client.login("admin", TestServer.adminPassword)
            for route in routes {
                let label = "\(route.method) \(route.path)"
                // A route naming its organization in a header needs one to reach the decision.
                let headers: HTTPFields = route.declaration.organizationInHeader
                    ? [HTTPField.Name("X-Organization-Id")!: UUID().uuidString.lowercased()] : [:]
                let anonymous = try await client.json(route.method, route.path, headers: headers)
                var answers = [anonymous]
                switch route.access {
                case .publicRoute:
                    #expect(anonymous.status != .unauthorized && anonymous.status != .forbidden, "\(label)")
                case .authenticated:
                    #expect(anonymous.status == .unauthorized, "\(label)")
                    let any = try await client.json(route.method, route.path, token: anyone, headers: headers)
                    #expect(any.status != .unauthorized && any.status != .forbidden, "\(label): \(any.text)")
                    answers.append(any)
                case .permission(let permission), .listing(let permission):
                    #expect(anonymous.status == .unauthorized, "\(label)")
                    let holder = try #require(holders[permission])
                    let lacking = try await client.json(route.method, route.path, token: holder.lacks, headers: headers)
                    #expect(lacking.status == .forbidden, "\(label) without \(permission): \(lacking.status.code)")
                    let holding = try await client.json(route.method, route.path, token: holder.has, headers: headers)
                    #expect(holding.status != .unauthorized && holding.status != .forbidden, "\(label) with \(permission): \(holding.text)")
                    answers += [lacking, holding]
                    // A sensitive permission held without a step-up opens nothing.
                    if let plain = holder.notSteppedUp {
                        let refused = try await client.json(route.method, route.path, token: plain, headers: headers)
                        try refused.expectProblem(.forbidden, code: "SR-1023")
                        answers.append(refused)
                    }
                }
                for answer in answers { #expect(answer.status.code < 500, "\(label) answered \(answer.status.code)") }
            }
        }
    }

    /// The ids of one organization's books, by path parameter name.
    static func books(_ fixture: LedgerFixture) async throws -> [String: String] {
        let account = try await fixture.account("@one")
        try await fixture.account("@two")
        let transaction = try await fixture.posted("inflow", LedgerFixture.inflow("@one", "10.00"))
        func created(_ path: String, _ body: String) async throws -> String {
            let response = try await fixture.post(path, body)
            #expect(response.status == .created, "\(path): \(response.text)")
            return try #require(try response.object()["id"] as? String)
        }
        let balances = try await fixture.get("/accounts/\(account)/balances")
        let assets = try await fixture.get("/assets")
        return [
            "organization_id": fixture.organization, "ledger_id": fixture.ledger, "account_id": account,
            "transaction_id": try #require(transaction["id"] as? String),
            "operation_id": try #require(
                (transaction["operations"] as? [[String: Any]])?.first { $0["accountId"] as? String == account }?["id"] as? String
            ),
            "balance_id": try #require((try balances.object()["items"] as? [[String: Any]])?.first?["id"] as? String),
            "asset_id": try #require((try assets.object()["items"] as? [[String: Any]])?.first?["id"] as? String),
            "portfolio_id": try await created("/portfolios", #"{"name":"P"}"#), "segment_id": try await created("/segments", #"{"name":"S"}"#),
            "alias": "@one", "code": "USD",
        ]
    }

    /// A control rule of the organization, stored directly (its routes need a step-up the
    /// books' session has not made); answers its id.
    static func controlRule(in organization: String, _ prepared: ServerApp.Prepared) async throws -> String {
        let now = SystemClock().now()
        let rule = StoredControlRule(
            id: IdentifierGenerator(clock: SystemClock()).nextText(), organizationID: organization,
            definition: ControlRuleDraft(kind: "limit", asset: "USD", accountAlias: "@one", perTransaction: "1"), version: 1, active: true,
            createdAt: now, createdBy: "user:test", updatedAt: now, updatedBy: "user:test"
        )
        try await prepared.persistence.write { try await $0.controlRules.create(rule) }
        return rule.id
    }

    static func fill(_ template: String, _ ids: [String: String]) -> String {
        var path = template
        for (name, value) in ids { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
        return path
    }

    /// An operator holding every permission in organization A reads, lists, counts and moves
    /// nothing of organization B through any route, and still works in its own.
    @Test(arguments: TestBackend.available)
    func anOperatorOfOneOrganizationCannotReachAnother(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, config in
            let a = try await LedgerFixture.make(client)
            let b = try await LedgerFixture.make(client)
            var ours = try await Self.books(a)
            var theirs = try await Self.books(b)
            ours["rule_id"] = try await Self.controlRule(in: a.organization, prepared)
            theirs["rule_id"] = try await Self.controlRule(in: b.organization, prepared)
            let scope = try #require(AccessScope(organizationID: a.organization, ledgerID: nil))
            let (_, operator_) = try await IdentityFixture.user("operator-a", permissions: PermissionCatalogue.all, scope: scope, client: client, prepared: prepared)

            var tried = 0
            for route in try ServerApp.routeTable(config, prepared: prepared).routes {
                let label = "\(route.method) \(route.path)"
                if route.declaration.organizationInHeader {
                    // B named in the header is refused as B in the path is; every id in the
                    // path is made up, since the guard decides before any is read.
                    let path = route.path.split(separator: "/", omittingEmptySubsequences: false)
                        .map { $0.hasPrefix("{") ? UUID().uuidString.lowercased() : String($0) }.joined(separator: "/")
                    let foreign = try await client.json(
                        route.method, path, token: operator_, body: route.changesState ? "{}" : nil,
                        headers: [HTTPField.Name("X-Organization-Id")!: b.organization]
                    )
                    #expect(foreign.status == .forbidden, "\(label) naming B answered \(foreign.status.code)")
                    tried += 1
                    continue
                }
                if route.path.contains("{organization_id}") {
                    let body = route.changesState ? "{}" : nil
                    let foreign = try await client.json(route.method, Self.fill(route.path, theirs), token: operator_, body: body)
                    #expect(foreign.status == .forbidden, "\(label) on B answered \(foreign.status.code)")
                    if !route.changesState {
                        let own = try await client.json(route.method, Self.fill(route.path, ours), token: operator_)
                        #expect([200, 204].contains(own.status.code), "\(label) on A answered \(own.status.code): \(own.text)")
                    }
                    tried += 1
                    continue
                }
                switch route.access {
                case .publicRoute, .authenticated:
                    continue
                case .listing:
                    continue
                case .permission:
                    // Outside every organization (administration, audit): a scoped grant is not enough.
                    let response = try await client.json(route.method, Self.fill(route.path, ["id": UUID().uuidString]), token: operator_)
                    #expect(response.status == .forbidden, "\(label) answered \(response.status.code)")
                    tried += 1
                }
            }
            #expect(tried > 40)

            let listed = try await client.json(.get, "/v1/organizations", token: operator_)
            let ids = try #require(try listed.object()["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(ids == [a.organization])
            let counted = try await client.json(.head, "/v1/organizations/metrics/count", token: operator_)
            #expect(counted.headers[.xTotalCount] == "1")
            // An id in the body reaching into B is refused like one in the path.
            let reparent = try await client.json(
                .patch, "/v1/organizations/\(a.organization)", token: operator_, body: #"{"parentOrganizationId":"\#(b.organization)"}"#
            )
            try reparent.expectProblem(.forbidden, code: "SR-1009")
            #expect(try await b.get("/accounts/alias/@one/balances").status == .ok)
        }
    }

    @Test func readOnlyUsersAndClientsListButCannotPost() async throws {
        try await TestServer.with(.sqlite) { client, prepared, _ in
            let books = try await LedgerFixture.make(client, steppedUp: true)
            try await books.account("@one")
            let (_, reader) = try await IdentityFixture.user("reader", permissions: [.transactionsRead], client: client, prepared: prepared)
            let group = try await client.json(
                .post, "/v1/groups", token: books.token, body: #"{"name":"readers","permissions":["transactions:read"]}"#
            )
            #expect(group.status == .created, "\(group.text)")
            let created = try await client.json(.post, "/v1/clients", token: books.token, body: #"{"name":"reporting","groups":["readers"]}"#)
            let id = try #require(try created.object()["client_id"] as? String)
            let secret = try #require(try created.object()["client_secret"] as? String)
            let basic = Data("\(id):\(secret)".utf8).base64EncodedString()
            let issued = try await client.json(
                .post, "/v1/auth/token", body: "grant_type=client_credentials",
                headers: [.authorization: "Basic \(basic)", .contentType: "application/x-www-form-urlencoded"]
            )
            #expect(issued.status == .ok, "\(issued.text)")
            #expect(try issued.object()["refresh_token"] == nil)
            let machine = try #require(try issued.object()["access_token"] as? String)
            let wrong = Data("\(id):\(secret)x".utf8).base64EncodedString()
            let refused = try await client.json(
                .post, "/v1/auth/token", body: "grant_type=client_credentials",
                headers: [.authorization: "Basic \(wrong)", .contentType: "application/x-www-form-urlencoded"]
            )
            #expect(refused.status == .unauthorized)
            #expect(try refused.object()["error"] as? String == "invalid_client")

            for token in [reader, machine] {
                #expect(try await client.json(.get, books.base + "/transactions", token: token).status == .ok)
                let post = try await client.json(.post, books.base + "/transactions/inflow", token: token, body: LedgerFixture.inflow("@one", "1.00"))
                try post.expectProblem(.forbidden, code: "SR-1003")
            }
            let me = try await client.json(.get, "/v1/auth/me", token: machine)
            #expect(try me.object()["kind"] as? String == "client")

            // Deleting the client stops its token within the principal cache's lifetime.
            #expect(try await client.json(.delete, "/v1/clients/\(id)", token: books.token).status == .noContent)
            let reissue = try await client.json(.post, "/v1/auth/token", body: #"{"grant_type":"client_credentials"}"#, headers: [.authorization: "Basic \(basic)"])
            #expect(reissue.status == .unauthorized)
        }
    }

    static func kid(_ token: String) throws -> String? {
        let header = try #require(Data(base64Encoded: IdentityAttackTests.padded(String(token.split(separator: ".")[0]))))
        return (try JSONSerialization.jsonObject(with: header) as? [String: Any])?["kid"] as? String
    }

    @Test func tokensSignedBeforeARotationStillVerifyAndNewOnesCarryTheNewKey() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let (before, authenticator) = try await client.steppedUp()
            let rotated = try await client.json(.post, "/v1/keys/rotate", token: before)
            #expect(rotated.status == .created)
            let kid = try #require(try rotated.object()["kid"] as? String)
            #expect(try Self.kid(before) != kid)
            #expect(try await client.json(.get, "/v1/auth/me", token: before).status == .ok)
            let after = try await client.login("admin", TestServer.adminPassword, authenticator: authenticator)
            #expect(try Self.kid(after) == kid)
            let jwks = try await client.json(.get, "/.well-known/jwks.json")
            let kids = try #require(try jwks.object()["keys"] as? [[String: Any]]).compactMap { $0["kid"] as? String }
            #expect(Set(kids) == Set([kid, try #require(try Self.kid(before))]))
        }
    }

    @Test(arguments: TestBackend.available)
    func theCommandLineRotationSignsOnceTheServerReloadsAndIsAudited(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, config in
            let (before, _) = try await client.login("admin", TestServer.adminPassword)
            let rotated = try await KeyCommands.rotate(config, logger: Logger(label: "test"))
            try await prepared.tokens.reload()  // what the keyring refresh does every 30 s
            #expect(try await client.json(.get, "/v1/auth/me", token: before).status == .ok)
            let (after, _) = try await client.login("admin", TestServer.adminPassword)
            #expect(try Self.kid(after) == rotated.kid)
            let events = try await client.json(.get, "/v1/audit/events?action=key.rotate", token: after)
            let items = try #require(try events.object()["items"] as? [[String: Any]])
            #expect(items.contains { ($0["resource"] as? String) == "signing-key:\(rotated.kid)" && (($0["actor"] as? [String: Any])?["id"] as? String) == "cli" })
        }
    }

    @Test func theCommandLineRotationRefusesWithoutTheMasterKey() async throws {
        try await TestServer.with(.sqlite) { _, _, config in
            var elsewhere = config
            elsewhere.dataDirectory = config.dataDirectory + "-missing"
            await #expect(throws: ConfigurationError.self) { try await KeyCommands.rotate(elsewhere, logger: Logger(label: "test")) }
        }
    }

    @Test func aScopedGroupIsMadeGlobalAgainByAnExplicitNullScope() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let (admin, _) = try await client.steppedUp()
            let organization = try await client.json(.post, "/v1/organizations", token: admin, body: #"{"legalName":"Scoped","legalDocument":"1"}"#)
            let organizationID = try #require(try organization.object()["id"] as? String)
            let created = try await client.json(.post, "/v1/groups", token: admin, body: #"{"name":"tellers","permissions":["transactions:read"],"scope":{"organization_id":"\#(organizationID)"}}"#)
            #expect(created.status == .created)
            let id = try #require(try created.object()["id"] as? String)
            let unchanged = try await client.json(.patch, "/v1/groups/\(id)", token: admin, body: #"{"require_mfa":false}"#)
            #expect(try (unchanged.object()["scope"] as? [String: Any])?["organization_id"] as? String == organizationID)
            let global = try await client.json(.patch, "/v1/groups/\(id)", token: admin, body: #"{"scope":null}"#)
            #expect(global.status == .ok)
            #expect(try global.object()["scope"] == nil)
            let fetched = try await client.json(.get, "/v1/groups/\(id)", token: admin)
            #expect(try fetched.object()["scope"] == nil)
            // null for any other optional field is absence: the permissions stay.
            let kept = try await client.json(.patch, "/v1/groups/\(id)", token: admin, body: #"{"permissions":null}"#)
            #expect(kept.status == .ok)
            #expect(try kept.object()["permissions"] as? [String] == ["transactions:read"])
        }
    }

    @Test func aSecondFactorIsEnrolledOnceAndEachCodeWorksOnce() async throws {
        try await TestServer.with(.sqlite) { client, prepared, _ in
            // A group that requires MFA sends an unenrolled member to enrolment first.
            _ = try await IdentityFixture.user("mia", permissions: [.usersRead], requiresMFA: true, client: client, prepared: prepared)
            let (restricted, kind) = try await client.login("mia", IdentityFixture.password)
            #expect(kind == "mfa_enrollment")
            try await client.json(.get, "/v1/users", token: restricted).expectProblem(.forbidden, code: "SR-1004")
            let enrolment = try await client.json(.post, "/v1/auth/mfa/totp", token: restricted)
            #expect(enrolment.status == .ok)
            let encoded = try #require(try enrolment.object()["secret"] as? String)
            let totp = TOTP(secret: try #require(Base32.decode(encoded)))
            let step = TOTP.step(at: SystemClock().now().secondsSinceEpoch)
            try await client.json(.post, "/v1/auth/mfa/totp/confirm", token: restricted, body: #"{"totp":"000000x"}"#)
                .expectProblem(.unauthorized, code: "SR-1017")
            #expect(try await client.json(.post, "/v1/auth/mfa/totp/confirm", token: restricted, body: #"{"totp":"\#(totp.code(atStep: step))"}"#).status == .noContent)

            let bare = try await client.json(.post, "/v1/auth/login", body: #"{"username":"mia","password":"\#(IdentityFixture.password)"}"#)
            try bare.expectProblem(.unauthorized, code: "SR-1016")
            // The confirming code is spent; the next step's is not.
            for (code, expected) in [(totp.code(atStep: step), 401), (totp.code(atStep: step + 1), 200), (totp.code(atStep: step + 1), 401)] {
                let login = try await client.json(
                    .post, "/v1/auth/login", body: #"{"username":"mia","password":"\#(IdentityFixture.password)","totp":"\#(code)"}"#
                )
                #expect(login.status.code == expected, "\(login.text)")
                if expected == 200 { #expect(try login.object()["restricted"] == nil) }
            }
        }
    }

    @Test func anAdministratorResetsALostSecondFactorAndTheUserEnrolsAgain() async throws {
        try await TestServer.with(.sqlite) { client, prepared, _ in
            let (userID, _) = try await IdentityFixture.user("noor", permissions: [.usersRead], requiresMFA: true, client: client, prepared: prepared)
            let (restricted, _) = try await client.login("noor", IdentityFixture.password)
            let enrolment = try await client.json(.post, "/v1/auth/mfa/totp", token: restricted)
            let secret = try #require(try enrolment.object()["secret"] as? String)
            let totp = TOTP(secret: try #require(Base32.decode(secret)))
            let step = TOTP.step(at: SystemClock().now().secondsSinceEpoch)
            #expect(try await client.json(.post, "/v1/auth/mfa/totp/confirm", token: restricted, body: #"{"totp":"\#(totp.code(atStep: step))"}"#).status == .noContent)
            let login = try await client.json(
                .post, "/v1/auth/login", body: #"{"username":"noor","password":"\#(IdentityFixture.password)","totp":"\#(totp.code(atStep: step + 1))"}"#
            )
            let refresh = try #require(try login.object()["refresh_token"] as? String)

            let (admin, _) = try await client.steppedUp()
            let path = "/v1/users/\(userID.uuidString.lowercased())/mfa/totp"
            #expect(try await client.json(.delete, path, token: admin).status == .noContent)
            try await client.json(.delete, path, token: admin).expectProblem(.notFound, code: "SR-1020")  // nothing left to reset
            // The user's sessions ended; the next login (password alone) must enrol again.
            let renewed = try await client.json(.post, "/v1/auth/token", body: #"{"grant_type":"refresh_token","refresh_token":"\#(refresh)"}"#)
            #expect(renewed.status == .badRequest || renewed.status == .unauthorized)
            let (_, kind) = try await client.login("noor", IdentityFixture.password)
            #expect(kind == "mfa_enrollment")
        }
    }
}
