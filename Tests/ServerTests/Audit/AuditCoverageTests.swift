import Audit
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import Storage
@testable import StrongroomEdge
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Every state-changing route yields exactly one record per request: its success in the
/// same transaction as the change, its refusal or denial through the outbox, nothing for a
/// replay, and never a secret or a username in clear.
@Suite("Audit coverage")
struct AuditCoverageTests {
    /// Sends requests with known request ids and checks what each added to the chain.
    final class Probe: @unchecked Sendable {
        let client: any TestClientProtocol
        let persistence: Persistence
        var token: String
        var lastSeq: Int64 = 0
        var covered: Set<String> = []
        var counter = 0

        init(client: any TestClientProtocol, persistence: Persistence, token: String) {
            self.client = client
            self.persistence = persistence
            self.token = token
        }

        /// Sends the request and expects exactly one new record, already committed when the
        /// response arrives: a success of `action` with this request's id.
        @discardableResult
        func expectRecorded(
            _ method: HTTPRequest.Method, _ template: String, _ path: String, _ body: String? = nil, action: String,
            status: HTTPResponse.Status, headers: HTTPFields = [:], sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> [String: Any] {
            counter += 1
            let requestID = "coverage-\(counter)"
            var headers = headers
            headers[HTTPField.Name("X-Request-Id")!] = requestID
            let response = try await client.json(method, path, token: headers[.authorization] == nil ? token : nil, body: body, headers: headers)
            #expect(response.status == status, "\(method) \(path): \(response.text)", sourceLocation: sourceLocation)
            let added = try await persistence.audit.records(after: lastSeq, limit: 100)
            #expect(added.count == 1, "\(method) \(template) added \(added.count) records", sourceLocation: sourceLocation)
            if let record = added.first {
                #expect(record.requestID == requestID, sourceLocation: sourceLocation)
                #expect(record.action == action, sourceLocation: sourceLocation)
                #expect(record.outcome == "success", sourceLocation: sourceLocation)
            }
            lastSeq = added.last?.seq ?? lastSeq
            covered.insert("\(method.rawValue) \(template)")
            return response.body.readableBytes > 0 ? (try? response.object()) ?? [:] : [:]
        }
    }

    static let org = "/v1/organizations/{organization_id}"
    static let ledger = "\(org)/ledgers/{ledger_id}"

    @Test(arguments: TestBackend.available)
    func everyStateChangingRouteRecordsItsSuccessInItsOwnTransaction(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, config in
            let persistence = prepared.persistence
            let probe = Probe(client: client, persistence: persistence, token: "")
            probe.lastSeq = try await persistence.audit.head()?.seq ?? 0

            let login = try await probe.expectRecorded(
                .post, "/v1/auth/login", "/v1/auth/login", #"{"username":"admin","password":"\#(TestServer.adminPassword)"}"#,
                action: "auth.login", status: .ok
            )
            probe.token = try #require(login["access_token"] as? String)
            let refreshToken = try #require(login["refresh_token"] as? String)
            let loginRecord = try #require(try await persistence.audit.record(seq: probe.lastSeq))
            #expect(loginRecord.actorKind == "user")

            // The second factor, and the step-up the sensitive routes below need.
            let enrolment = try await probe.expectRecorded(.post, "/v1/auth/mfa/totp", "/v1/auth/mfa/totp", action: "auth.mfa.enrol", status: .ok)
            let encodedSecret = try #require(enrolment["secret"] as? String)
            let authenticator = TestAuthenticator(secret: try #require(Base32.decode(encodedSecret)), clock: prepared.clock)
            try await probe.expectRecorded(
                .post, "/v1/auth/mfa/totp/confirm", "/v1/auth/mfa/totp/confirm", #"{"totp":"\#(try await authenticator.code())"}"#,
                action: "auth.mfa.confirm", status: .noContent
            )
            let elevated = try await probe.expectRecorded(
                .post, "/v1/auth/elevate", "/v1/auth/elevate", #"{"totp":"\#(try await authenticator.code())"}"#, action: "auth.elevate",
                status: .ok
            )
            probe.token = try #require(elevated["access_token"] as? String)

            func id(_ object: [String: Any]) throws -> String { try #require(object["id"] as? String) }
            let o = try id(try await probe.expectRecorded(
                .post, "/v1/organizations", "/v1/organizations", #"{"legalName":"Acme","legalDocument":"1"}"#,
                action: "organization.create", status: .created
            ))
            let orgPath = "/v1/organizations/\(o)"
            try await probe.expectRecorded(.patch, Self.org, orgPath, #"{"legalName":"Acme 2"}"#, action: "organization.update", status: .ok)
            let l = try id(try await probe.expectRecorded(
                .post, "\(Self.org)/ledgers", "\(orgPath)/ledgers", #"{"name":"Main"}"#, action: "ledger.create", status: .created
            ))
            let base = "\(orgPath)/ledgers/\(l)"
            try await probe.expectRecorded(.patch, Self.ledger, base, #"{"name":"Main 2"}"#, action: "ledger.update", status: .ok)
            let usd = try id(try await probe.expectRecorded(
                .post, "\(Self.ledger)/assets", "\(base)/assets", #"{"name":"Dollar","type":"currency","code":"USD"}"#,
                action: "asset.create", status: .created
            ))
            try await probe.expectRecorded(
                .patch, "\(Self.ledger)/assets/{asset_id}", "\(base)/assets/\(usd)", #"{"name":"US Dollar"}"#, action: "asset.update",
                status: .ok
            )
            let eur = try id(try await probe.expectRecorded(
                .post, "\(Self.ledger)/assets", "\(base)/assets", #"{"name":"Euro","type":"currency","code":"EUR"}"#,
                action: "asset.create", status: .created
            ))
            try await probe.expectRecorded(
                .delete, "\(Self.ledger)/assets/{asset_id}", "\(base)/assets/\(eur)", action: "asset.delete", status: .noContent
            )
            for (collection, parameter, kind) in [("portfolios", "portfolio_id", "portfolio"), ("segments", "segment_id", "segment")] {
                let created = try id(try await probe.expectRecorded(
                    .post, "\(Self.ledger)/\(collection)", "\(base)/\(collection)", #"{"name":"G"}"#, action: "\(kind).create",
                    status: .created
                ))
                let item = "\(Self.ledger)/\(collection)/{\(parameter)}"
                try await probe.expectRecorded(.patch, item, "\(base)/\(collection)/\(created)", #"{"name":"H"}"#, action: "\(kind).update", status: .ok)
                try await probe.expectRecorded(.delete, item, "\(base)/\(collection)/\(created)", action: "\(kind).delete", status: .noContent)
            }
            var accounts: [String: String] = [:]
            for alias in ["@a", "@b", "@c"] {
                accounts[alias] = try id(try await probe.expectRecorded(
                    .post, "\(Self.ledger)/accounts", "\(base)/accounts", #"{"assetCode":"USD","type":"deposit","alias":"\#(alias)"}"#,
                    action: "account.create", status: .created
                ))
            }
            let account = "\(Self.ledger)/accounts/{account_id}"
            try await probe.expectRecorded(.patch, account, "\(base)/accounts/\(accounts["@a"]!)", #"{"name":"A"}"#, action: "account.update", status: .ok)

            let transactions = "\(Self.ledger)/transactions"
            let inflow = try await probe.expectRecorded(
                .post, "\(transactions)/inflow", "\(base)/transactions/inflow", LedgerFixture.inflow("@a", "100.00"),
                action: "transaction.create", status: .created
            )
            // The record commits to every id the request created: the transaction and its operations.
            let inflowRecord = try #require(try await persistence.audit.record(seq: probe.lastSeq))
            let operations = try #require(inflow["operations"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(inflowRecord.summary == AuditSummary(["created": .list([try id(inflow)] + operations)]).canonicalText)
            let transfer = try id(try await probe.expectRecorded(
                .post, "\(transactions)/json", "\(base)/transactions/json", LedgerFixture.transfer("@a", "@b", "10.00"),
                action: "transaction.create", status: .created
            ))
            try await probe.expectRecorded(
                .post, "\(transactions)/outflow", "\(base)/transactions/outflow", LedgerFixture.outflow("@b", "1.00"),
                action: "transaction.create", status: .created
            )
            for step in ["commit", "cancel"] {
                let pending = try id(try await probe.expectRecorded(
                    .post, "\(transactions)/json", "\(base)/transactions/json",
                    LedgerFixture.transfer("@a", "@b", "1.00", extra: #""pending":true,"#), action: "transaction.create", status: .created
                ))
                try await probe.expectRecorded(
                    .post, "\(transactions)/{transaction_id}/\(step)", "\(base)/transactions/\(pending)/\(step)",
                    action: "transaction.\(step)", status: .created
                )
            }
            try await probe.expectRecorded(
                .post, "\(transactions)/{transaction_id}/revert", "\(base)/transactions/\(transfer)/revert", action: "transaction.revert",
                status: .created
            )
            // A batch is one record, whose summary commits to every id it created; a refused
            // item of a non-atomic batch is counted, not recorded apart.
            let batch = try await probe.expectRecorded(
                .post, "\(transactions)/batch", "\(base)/transactions/batch",
                #"{"transactions":[\#(LedgerFixture.transfer("@a", "@b", "1.00")),\#(LedgerFixture.transfer("@a", "@nobody", "1.00"))]}"#,
                action: "transaction.batch", status: .ok
            )
            let items = try #require(batch["items"] as? [[String: Any]])
            #expect(items.map { $0["status"] as? Int } == [201, 422])
            let created = try #require(items.first?["transaction"] as? [String: Any])
            let createdIDs = [try id(created)] + (try #require(created["operations"] as? [[String: Any]])).compactMap { $0["id"] as? String }
            let digest = SHA256.hash(data: Data(createdIDs.map { $0 + "\n" }.joined().utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(
                try #require(try await persistence.audit.record(seq: probe.lastSeq)).summary
                    == AuditSummary(["items": .number(2), "created": .number(1), "failed": .number(1), "created_sha256": .text(digest)])
                    .canonicalText
            )
            let annotated = try await probe.expectRecorded(
                .patch, "\(transactions)/{transaction_id}", "\(base)/transactions/\(transfer)", #"{"description":"rent"}"#,
                action: "transaction.update", status: .ok
            )
            #expect(try #require(try await persistence.audit.record(seq: probe.lastSeq)).summary == #"{"fields":["description"]}"#)
            let operation = try #require((annotated["operations"] as? [[String: Any]])?.first?["id"] as? String)
            try await probe.expectRecorded(
                .patch, "\(transactions)/{transaction_id}/operations/{operation_id}",
                "\(base)/transactions/\(transfer)/operations/\(operation)", #"{"description":"leg"}"#, action: "operation.update", status: .ok
            )

            let balances = try await client.json(.get, "\(base)/accounts/\(accounts["@c"]!)/balances", token: probe.token)
            let balance = try #require((try balances.object()["items"] as? [[String: Any]])?.first?["id"] as? String)
            let balanceItem = "\(Self.ledger)/balances/{balance_id}"
            try await probe.expectRecorded(
                .patch, balanceItem, "\(base)/balances/\(balance)", #"{"allowSending":false}"#, action: "balance.update", status: .ok
            )
            try await probe.expectRecorded(.delete, balanceItem, "\(base)/balances/\(balance)", action: "balance.delete", status: .noContent)
            try await probe.expectRecorded(.delete, account, "\(base)/accounts/\(accounts["@c"]!)", action: "account.delete", status: .noContent)

            // The incident controls: each sets or lifts its control and records it in the same
            // transaction.
            let reason = #"{"reason":"incident drill"}"#
            let portfolio = try id(try await probe.expectRecorded(
                .post, "\(Self.ledger)/portfolios", "\(base)/portfolios", #"{"name":"Held"}"#, action: "portfolio.create", status: .created
            ))
            for (template, path, action) in [
                ("\(account)/freeze", "\(base)/accounts/\(accounts["@a"]!)/freeze", "account.freeze"),
                ("\(account)/unfreeze", "\(base)/accounts/\(accounts["@a"]!)/unfreeze", "account.unfreeze"),
                ("\(Self.ledger)/portfolios/{portfolio_id}/lock", "\(base)/portfolios/\(portfolio)/lock", "portfolio.lock"),
                ("\(Self.ledger)/portfolios/{portfolio_id}/unlock", "\(base)/portfolios/\(portfolio)/unlock", "portfolio.unlock"),
                ("\(Self.ledger)/freeze", "\(base)/freeze", "ledger.freeze"),
                ("\(Self.ledger)/unfreeze", "\(base)/unfreeze", "ledger.unfreeze"),
            ] {
                try await probe.expectRecorded(.post, template, path, reason, action: action, status: .ok)
            }

            // The organization's control rules: each change records in its own transaction.
            let rules = "\(Self.org)/control-rules"
            let rule = try id(try await probe.expectRecorded(
                .post, rules, "\(orgPath)/control-rules", #"{"kind":"limit","account_alias":"@a","asset":"USD","per_day":"100"}"#,
                action: "control_rule.create", status: .created
            ))
            try await probe.expectRecorded(
                .patch, "\(rules)/{rule_id}", "\(orgPath)/control-rules/\(rule)", #"{"per_day":"200"}"#, action: "control_rule.update",
                status: .ok
            )
            try await probe.expectRecorded(
                .post, "\(rules)/{rule_id}/disable", "\(orgPath)/control-rules/\(rule)/disable", action: "control_rule.disable", status: .ok
            )

            // The organization's holders, named in X-Organization-Id.
            let inOrganization: HTTPFields = [HTTPField.Name("X-Organization-Id")!: o]
            let holder = try id(try await probe.expectRecorded(
                .post, "/v1/holders", "/v1/holders", #"{"type":"NATURAL_PERSON","name":"Ada","document":"AB123456C"}"#,
                action: "holder.create", status: .created, headers: inOrganization
            ))
            try await probe.expectRecorded(
                .patch, "/v1/holders/{id}", "/v1/holders/\(holder)", #"{"externalId":"x-1"}"#, action: "holder.update", status: .ok,
                headers: inOrganization
            )
            try await probe.expectRecorded(
                .delete, "/v1/holders/{id}", "/v1/holders/\(holder)", action: "holder.delete", status: .noContent, headers: inOrganization
            )

            // A holder's alias of an account of the ledger, the organization named in X-Organization-Id.
            let aliasHeaders: HTTPFields = [HTTPField.Name("X-Organization-Id")!: o]
            let aliasHolder = try await HolderAliasRouteTests.holder(o, prepared: prepared)
            let aliasAccount = try #require(accounts["@a"])
            let aliases = "/v1/holders/\(aliasHolder)/aliases"
            let party = #"{"name":"Ada Byron","document":"AB-12","role":"PRIMARY_HOLDER","startDate":"2024-01-01"}"#
            let withParty = try await probe.expectRecorded(
                .post, HolderAliasRoutes.collection, aliases,
                #"{"ledgerId":"\#(l)","accountId":"\#(aliasAccount)","relatedParties":[\#(party)]}"#,
                action: "holder_alias.create", status: .created, headers: aliasHeaders
            )
            let alias = try id(withParty)
            let partyID = try #require((withParty["relatedParties"] as? [[String: Any]])?.first?["id"] as? String)
            try await probe.expectRecorded(
                .delete, HolderAliasRoutes.relatedParty, "\(aliases)/\(alias)/related-parties/\(partyID)",
                action: "holder_alias.related_party.delete", status: .noContent, headers: aliasHeaders
            )
            try await probe.expectRecorded(
                .patch, HolderAliasRoutes.item, "\(aliases)/\(alias)", #"{"metadata":{"k":"v"}}"#, action: "holder_alias.update", status: .ok,
                headers: aliasHeaders
            )
            try await probe.expectRecorded(
                .delete, HolderAliasRoutes.item, "\(aliases)/\(alias)", action: "holder_alias.delete", status: .noContent, headers: aliasHeaders
            )

            // A holder's erasure (crypto-shredding), the organization named in X-Organization-Id.
            let erased = try await HolderAliasRouteTests.holder(o, prepared: prepared)
            try await probe.expectRecorded(
                .post, HolderErasureRoutes.path, "/v1/holders/\(erased)/erase", action: HolderErasureRoutes.action, status: .ok,
                headers: aliasHeaders
            )

            let other = try id(try await probe.expectRecorded(
                .post, "/v1/organizations", "/v1/organizations", #"{"legalName":"Other","legalDocument":"2"}"#,
                action: "organization.create", status: .created
            ))
            let otherLedger = try id(try await probe.expectRecorded(
                .post, "\(Self.org)/ledgers", "/v1/organizations/\(other)/ledgers", #"{"name":"Spare"}"#, action: "ledger.create", status: .created
            ))
            try await probe.expectRecorded(
                .delete, Self.ledger, "/v1/organizations/\(other)/ledgers/\(otherLedger)", action: "ledger.delete", status: .noContent
            )
            try await probe.expectRecorded(.delete, Self.org, "/v1/organizations/\(other)", action: "organization.delete", status: .noContent)

            // Identity administration, sessions, clients, keys and the second factor.
            let group = try id(try await probe.expectRecorded(
                .post, "/v1/groups", "/v1/groups", #"{"name":"clerks","permissions":["transactions:read"],"scope":{"organization_id":"\#(o)"}}"#,
                action: "group.create", status: .created
            ))
            try await probe.expectRecorded(.patch, "/v1/groups/{id}", "/v1/groups/\(group)", #"{"require_mfa":true}"#, action: "group.update", status: .ok)
            let user = try id(try await probe.expectRecorded(
                .post, "/v1/users", "/v1/users", #"{"username":"clerk","password":"a ledger keeper's passphrase","groups":["clerks"]}"#,
                action: "user.create", status: .created
            ))
            try await probe.expectRecorded(.patch, "/v1/users/{id}", "/v1/users/\(user)", #"{"status":"disabled"}"#, action: "user.update", status: .ok)
            let userID = try #require(UUID(uuidString: user))
            try await persistence.write { try await $0.identity.setTOTP(userID: userID, sealedSecret: [1, 2, 3], at: SystemClock().now()) }
            try await probe.expectRecorded(.delete, "/v1/users/{id}/mfa/totp", "/v1/users/\(user)/mfa/totp", action: "user.mfa.reset", status: .noContent)
            let machine = try await probe.expectRecorded(
                .post, "/v1/clients", "/v1/clients", #"{"name":"Nightly job","groups":["clerks"]}"#, action: "client.create", status: .created
            )
            let clientID = try #require(machine["client_id"] as? String)
            let clientSecret = try #require(machine["client_secret"] as? String)
            let clientRecord = try #require(try await persistence.audit.record(seq: probe.lastSeq))
            #expect(!clientRecord.summary.contains(clientSecret))
            try await probe.expectRecorded(
                .patch, "/v1/clients/{id}", "/v1/clients/\(clientID)", #"{"name":"Nightly batch"}"#, action: "client.update", status: .ok
            )
            let rotated = try await probe.expectRecorded(
                .post, "/v1/clients/{id}/rotate-secret", "/v1/clients/\(clientID)/rotate-secret", action: "client.rotate-secret", status: .ok
            )
            let rotatedSecret = try #require(rotated["client_secret"] as? String)
            let basic = Data("\(clientID):\(rotatedSecret)".utf8).base64EncodedString()
            try await probe.expectRecorded(
                .post, "/v1/auth/token", "/v1/auth/token", #"{"grant_type":"client_credentials"}"#, action: "auth.token", status: .ok,
                headers: [.authorization: "Basic \(basic)"]
            )
            #expect(try #require(try await persistence.audit.record(seq: probe.lastSeq)).actorKind == "client")
            let refreshed = try await probe.expectRecorded(
                .post, "/v1/auth/token", "/v1/auth/token", #"{"grant_type":"refresh_token","refresh_token":"\#(refreshToken)"}"#,
                action: "auth.token", status: .ok
            )
            let nextRefresh = try #require(refreshed["refresh_token"] as? String)
            try await probe.expectRecorded(
                .post, "/v1/auth/revoke", "/v1/auth/revoke", #"{"token":"\#(nextRefresh)"}"#,
                action: "auth.revoke", status: .ok
            )
            try await probe.expectRecorded(.delete, "/v1/clients/{id}", "/v1/clients/\(clientID)", action: "client.delete", status: .noContent)
            try await probe.expectRecorded(.post, "/v1/keys/rotate", "/v1/keys/rotate", action: "key.rotate", status: .created)
            try await probe.expectRecorded(
                .post, "/v1/auth/password", "/v1/auth/password",
                #"{"current_password":"\#(TestServer.adminPassword)","new_password":"another strong passphrase"}"#,
                action: "auth.password.change", status: .noContent
            )

            let table = try ServerApp.routeTable(config, prepared: prepared)
            let writes = Set(table.routes.filter(\.changesState).map { "\($0.method.rawValue) \($0.path)" })
            #expect(writes.subtracting(probe.covered).isEmpty, "state-changing routes this test does not exercise")
            #expect(try await prepared.auditVerification.run().isValid)
        }
    }

    /// Polls until the outbox flusher has written records after `seq` that satisfy `done`.
    static func eventually(
        _ persistence: Persistence, after seq: Int64, _ done: ([AuditRecord]) -> Bool
    ) async throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        for _ in 0..<100 {
            records = try await persistence.audit.records(after: seq, limit: 1_000)
            if done(records) { return records }
            try await Task.sleep(for: .milliseconds(50))
        }
        return records
    }

    @Test(arguments: TestBackend.available)
    func refusalsDenialsAndReplaysAreRecordedOnceEach(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let fixture = try await LedgerFixture.make(client)
            try await fixture.account("@a")
            try await fixture.account("@b")
            let persistence = prepared.persistence
            // Let the fixture's own records settle first.
            let start = try await persistence.audit.head()?.seq ?? 0
            func send(_ id: String, _ method: HTTPRequest.Method, _ path: String, token: String?, body: String?, key: String? = nil) async throws -> TestResponse {
                var headers: HTTPFields = [:]
                headers[HTTPField.Name("X-Request-Id")!] = id
                if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
                return try await client.json(method, fixture.base + path, token: token, body: body, headers: headers)
            }
            // Refused by a rule: @a has no money.
            try (try await send("refused", .post, "/transactions/json", token: fixture.token, body: LedgerFixture.transfer("@a", "@b", "5.00")))
                .expectProblem(.unprocessableContent)
            // Denied: no token at all.
            try (try await send("no-token", .post, "/transactions/json", token: nil, body: LedgerFixture.transfer("@a", "@b", "5.00")))
                .expectProblem(.unauthorized)
            // A success, then its replay.
            let body = LedgerFixture.inflow("@a", "3.00")
            #expect(try await send("first", .post, "/transactions/inflow", token: fixture.token, body: body, key: "k1").status == .created)
            let replay = try await send("replay", .post, "/transactions/inflow", token: fixture.token, body: body, key: "k1")
            #expect(replay.headers[HTTPField.Name("X-Idempotency-Replayed")!] == "true")
            // A failed login, whose name must not appear in clear.
            let failedLogin = try await client.json(
                .post, "/v1/auth/login", body: #"{"username":"Mallory.Secret","password":"not the password at all"}"#,
                headers: [HTTPField.Name("X-Request-Id")!: "bad-login"]
            )
            try failedLogin.expectProblem(.unauthorized)

            let records = try await Self.eventually(persistence, after: start) { records in
                Set(records.map(\.requestID)).isSuperset(of: ["refused", "no-token", "first", "bad-login"])
            }
            let byRequest = Dictionary(grouping: records, by: \.requestID)
            #expect(byRequest["refused"]?.map(\.outcome) == ["failure"])
            #expect(byRequest["refused"]?.first?.summary == #"{"code":"SR-2010","status":422}"#)
            #expect(byRequest["refused"]?.first?.action == "transaction.create")
            #expect(byRequest["no-token"]?.map(\.outcome) == ["denied"])
            #expect(byRequest["no-token"]?.first?.actorKind == "anonymous")
            #expect(byRequest["first"]?.map(\.outcome) == ["success"])
            #expect(byRequest["replay"] == nil, "a replay changes nothing and records nothing")
            let login = try #require(byRequest["bad-login"]?.first)
            #expect(login.outcome == "failure")
            #expect(login.action == "auth.login")
            #expect(login.resource.hasPrefix("user:~"))
            for record in records {
                let text = [record.resource, record.summary, record.actorID].joined(separator: " ").lowercased()
                #expect(!text.contains("mallory"), "a username in clear")
                #expect(!text.contains("not the password"), "a password in clear")
            }
            #expect(try await prepared.auditVerification.run().isValid)
        }
    }

    /// A restricted token (the administrator must change its password first) may not create
    /// anything: a denial, recorded. A read refused by permissions is recorded too.
    @Test func aForbiddenRequestIsRecordedAsDenied() async throws {
        try await TestServer.with(.sqlite, adminPassword: nil) { client, prepared, config in
            let password = try String(contentsOfFile: config.dataDirectory + "/initial-admin-password", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let (token, restricted) = try await client.login("admin", password)
            #expect(restricted == "password_change")
            let start = try await prepared.persistence.audit.head()?.seq ?? 0
            let headers: HTTPFields = [HTTPField.Name("X-Request-Id")!: "forbidden-write"]
            try (try await client.json(.post, "/v1/organizations", token: token, body: #"{"legalName":"A","legalDocument":"1"}"#, headers: headers))
                .expectProblem(.forbidden)
            try (try await client.json(.get, "/v1/organizations", token: token, headers: [HTTPField.Name("X-Request-Id")!: "forbidden-read"]))
                .expectProblem(.forbidden)
            let records = try await Self.eventually(prepared.persistence, after: start) { $0.count >= 2 }
            #expect(records.map(\.requestID).sorted() == ["forbidden-read", "forbidden-write"])
            #expect(records.allSatisfy { $0.outcome == "denied" && $0.actorKind == "user" })
            #expect(records.first { $0.requestID == "forbidden-write" }?.action == "organization.create")
        }
    }
}
