import Controls
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// `/v1/organizations/{organization_id}/control-rules` on both backends: a rule created,
/// read, changed to version 2 (version 1 still readable), listed a page at a time and
/// disabled, each change audited once; validation answering every bad field; a rule beyond
/// its author's grants refused; a group too small to approve refused; and the limit of 1,000
/// active rules per organization.
@Suite("Control rule routes")
struct ControlRuleRouteTests {
    static func rules(_ ledger: LedgerFixture) -> String { "/v1/organizations/\(ledger.organization)/control-rules" }

    /// A group named `name` with `members` active users, made straight in the store.
    static func group(_ name: String, members: Int, prepared: ServerApp.Prepared) async throws {
        let now = SystemClock().now()
        let ids = (0..<members).map { _ in UUID() }
        try await prepared.persistence.write { work in
            let group = Group(id: UUID(), name: name, permissions: [], scope: .everywhere, requiresMFA: false, builtIn: false, createdAt: now)
            try await work.identity.insertGroup(group)
            for (index, id) in ids.enumerated() {
                try await work.identity.insertUser(User(
                    id: id, username: try Username("\(name)-\(index)"), passwordHash: PasswordHash(encoded: "x"), status: .active,
                    mustChangePassword: false, createdAt: now, updatedAt: now
                ))
                try await work.identity.setMemberships(principalID: id, kind: .user, groupIDs: [group.id])
            }
        }
    }

    static let approval = #"{"kind":"transaction_approval","asset":"USD","at_or_above":"10000.00","approvals":2,"group":"checkers"}"#

    @Test(arguments: TestBackend.available)
    func aRuleIsCreatedReadChangedListedAndDisabledAndEachChangeIsAudited(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await LedgerFixture.make(client, steppedUp: true)
            try await Self.group("checkers", members: 3, prepared: prepared)
            let path = Self.rules(ledger)

            let created = try await client.json(.post, path, token: ledger.token, body: Self.approval)
            #expect(created.status == .created, "\(created.text)")
            let rule = try created.object()
            let id = try #require(rule["id"] as? String)
            #expect(rule["version"] as? Int == 1 && rule["active"] as? Bool == true)
            #expect(rule["kind"] as? String == "transaction_approval" && rule["approvals"] as? Int == 2)
            #expect(rule["organization_id"] as? String == ledger.organization)
            #expect((rule["created_by"] as? String)?.hasPrefix("user:") == true)
            let read = try await client.json(.get, "\(path)/\(id)", token: ledger.token)
            #expect(read.status == .ok && read.text == created.text)

            // A change is a new version; the old one stays readable.
            let changed = try await client.json(.patch, "\(path)/\(id)", token: ledger.token, body: #"{"approvals":1}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try changed.object()["version"] as? Int == 2)
            #expect(try await client.json(.get, "\(path)/\(id)", token: ledger.token).object()["approvals"] as? Int == 1)
            let first = try await client.json(.get, "\(path)/\(id)?version=1", token: ledger.token).object()
            #expect(first["approvals"] as? Int == 2 && first["version"] as? Int == 1)
            try await client.json(.get, "\(path)/\(id)?version=3", token: ledger.token).expectProblem(.notFound)
            try await client.json(.patch, "\(path)/\(id)", token: ledger.token, body: #"{"kind":"limit"}"#)
                .expectProblem(.unprocessableContent, code: "SR-2025")

            // With a key, a create acts once.
            let keyed: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "rule-1"]
            let limit = #"{"kind":"limit","account_alias":"@alice","asset":"USD","per_day":"500"}"#
            let second = try await client.json(.post, path, token: ledger.token, body: limit, headers: keyed)
            #expect(second.status == .created, "\(second.text)")
            let again = try await client.json(.post, path, token: ledger.token, body: limit, headers: keyed)
            #expect(again.status == .created && again.headers[HTTPField.Name("X-Idempotency-Replayed")!] == "true")
            #expect(again.text == second.text)
            let secondID = try #require(try second.object()["id"] as? String)

            // A page at a time, in creation order.
            let page = try await client.json(.get, "\(path)?limit=1", token: ledger.token).object()
            #expect((page["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            let cursor = try #require(page["next_cursor"] as? String)
            let next = try await client.json(.get, "\(path)?limit=1&cursor=\(cursor)", token: ledger.token).object()
            #expect((next["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [secondID])
            #expect(next["next_cursor"] == nil || next["next_cursor"] is NSNull)

            // Disabled, a rule is ended.
            let disabled = try await client.json(.post, "\(path)/\(id)/disable", token: ledger.token)
            #expect(disabled.status == .ok, "\(disabled.text)")
            #expect(try disabled.object()["active"] as? Bool == false && (try disabled.object()["version"] as? Int) == 2)
            try await client.json(.post, "\(path)/\(id)/disable", token: ledger.token).expectProblem(.conflict, code: "SR-3015")
            try await client.json(.patch, "\(path)/\(id)", token: ledger.token, body: #"{"approvals":2}"#)
                .expectProblem(.conflict, code: "SR-3015")
            let active = try await client.json(.get, "\(path)?active=true", token: ledger.token).object()
            #expect((active["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [secondID])
            #expect(try await prepared.persistence.controlRules.active(organizationID: ledger.organization).map(\.id) == [secondID])
            try await client.json(.get, "\(path)/\(UUID().uuidString.lowercased())", token: ledger.token).expectProblem(.notFound)

            // Each change is one audit record, of its own action.
            for (action, resource, count) in [
                ("control_rule.create", id, 1), ("control_rule.update", id, 1), ("control_rule.disable", id, 1),
                ("control_rule.create", secondID, 1),
            ] {
                let records = try await ControlRouteTests.records(client, ledger, action: action, resource: "control_rule:\(resource)")
                #expect(records.count == count, "\(action) on \(resource)")
                #expect(records.allSatisfy { $0["outcome"] as? String == "success" })
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func aBadRuleIsAnsweredWithEveryBadFieldAndUnknownReferencesAreNamed(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await LedgerFixture.make(client, steppedUp: true)
            try await Self.group("checkers", members: 3, prepared: prepared)
            let path = Self.rules(ledger)
            func post(_ body: String) async throws -> TestResponse { try await client.json(.post, path, token: ledger.token, body: body) }
            func fields(_ response: TestResponse) throws -> Set<String> {
                Set(try #require(try response.object()["fields"] as? [[String: Any]]).compactMap { $0["field"] as? String })
            }

            let bad = try await post(#"{"kind":"limit","asset":"usd","approvals":3,"day":"tomorrow"}"#)
            try bad.expectProblem(.unprocessableContent, code: "SR-2025")
            #expect(try fields(bad) == ["account_alias", "asset", "approvals", "per_transaction", "day"])
            let unknownKind = try await post(#"{"kind":"wish"}"#)
            try unknownKind.expectProblem(.unprocessableContent, code: "SR-2025")
            #expect(try fields(unknownKind) == ["kind"])
            try await post(#"{"kind":"limit","colour":"red"}"#).expectProblem(.badRequest, code: "SR-0003")
            try await post(#"{"kind":"limit","approvals":"two"}"#).expectProblem(.badRequest, code: "SR-0002")

            let noGroup = try await post(#"{"kind":"transaction_approval","approvals":1,"group":"nobody"}"#)
            try noGroup.expectProblem(.unprocessableContent, code: "SR-1011")
            let otherLedger = UUID().uuidString.lowercased()
            let noLedger = try await post(#"{"kind":"limit","ledger_id":"\#(otherLedger)","account_alias":"@a","asset":"USD","per_transaction":"1"}"#)
            try noLedger.expectProblem(.unprocessableContent, code: "SR-2033")
            #expect(try fields(noLedger) == ["ledger_id"])
            let noPortfolio = try await post(#"{"kind":"limit","portfolio_id":"\#(otherLedger)","asset":"USD","per_transaction":"1"}"#)
            try noPortfolio.expectProblem(.unprocessableContent, code: "SR-2033")
            let inLedger = try await post(#"{"kind":"limit","ledger_id":"\#(ledger.ledger)","account_alias":"@a","asset":"USD","per_transaction":"1"}"#)
            #expect(inLedger.status == .created, "\(inLedger.text)")
            let elsewhere = "/v1/organizations/\(UUID().uuidString.lowercased())/control-rules"
            try await client.json(.post, elsewhere, token: ledger.token, body: #"{"kind":"limit","account_alias":"@a","asset":"USD","per_transaction":"1"}"#)
                .expectProblem(.notFound)
            // Nothing refused was stored.
            #expect(try await prepared.persistence.controlRules.countActive(organizationID: ledger.organization) == 1)
        }
    }

    /// A group must hold more people than the approvals the rule asks for: one is set aside,
    /// since any member may turn out to be the maker.
    @Test(arguments: TestBackend.available)
    func aGroupThatCouldNeverApproveIsRefused(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await LedgerFixture.make(client, steppedUp: true)
            try await Self.group("checkers", members: 2, prepared: prepared)
            let path = Self.rules(ledger)
            let refused = try await client.json(.post, path, token: ledger.token, body: Self.approval)
            try refused.expectProblem(.unprocessableContent, code: "SR-3013")
            let one = Self.approval.replacingOccurrences(of: #""approvals":2"#, with: #""approvals":1"#)
            let created = try await client.json(.post, path, token: ledger.token, body: one)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.object()["id"] as? String)
            // A change is held to the same rule.
            try await client.json(.patch, "\(path)/\(id)", token: ledger.token, body: #"{"approvals":2}"#)
                .expectProblem(.unprocessableContent, code: "SR-3013")
            #expect(try await client.json(.get, "\(path)/\(id)", token: ledger.token).object()["version"] as? Int == 1)
        }
    }

    /// A rule covers only what its author holds: an operator of one organization sets its
    /// limits, but cannot hold back the service's user creation, nor unfreezes without the
    /// permission to unfreeze.
    @Test(arguments: TestBackend.available)
    func aRuleMayCoverOnlyWhatItsAuthorHolds(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await LedgerFixture.make(client, steppedUp: true)
            try await Self.group("checkers", members: 3, prepared: prepared)
            let scope = try #require(AccessScope(organizationID: ledger.organization, ledgerID: nil))
            let (_, author) = try await IdentityFixture.user("rule-author", permissions: [.controlsManage], scope: scope, client: client, prepared: prepared)
            let path = Self.rules(ledger)
            let limit = #"{"kind":"limit","account_alias":"@a","asset":"USD","per_transaction":"1"}"#
            #expect(try await client.json(.post, path, token: author, body: limit).status == .created)
            let users = #"{"kind":"administrative_approval","actions":["user.create"],"approvals":1,"group":"checkers"}"#
            try await client.json(.post, path, token: author, body: users).expectProblem(.forbidden, code: "SR-1009")
            let unfreeze = #"{"kind":"administrative_approval","actions":["account.unfreeze"],"approvals":1,"group":"checkers"}"#
            try await client.json(.post, path, token: author, body: unfreeze).expectProblem(.forbidden, code: "SR-1009")
            let (_, freezer) = try await IdentityFixture.user(
                "rule-freezer", permissions: [.controlsManage, .accountsFreeze], scope: scope, client: client, prepared: prepared
            )
            let held = try await client.json(.post, path, token: freezer, body: unfreeze)
            #expect(held.status == .created, "\(held.text)")
            // Nor may the organization's author take the service-wide rule away, once an
            // administrator made it.
            let made = try await client.json(.post, path, token: ledger.token, body: users)
            #expect(made.status == .created, "\(made.text)")
            let madeID = try #require(try made.object()["id"] as? String)
            try await client.json(.patch, "\(path)/\(madeID)", token: author, body: #"{"actions":["control_rule.*"]}"#)
                .expectProblem(.forbidden, code: "SR-1009")
            try await client.json(.post, "\(path)/\(madeID)/disable", token: author).expectProblem(.forbidden, code: "SR-1009")
            // Another organization's rules are out of its reach altogether.
            let other = try await client.json(.post, "/v1/organizations", token: ledger.token, body: #"{"legalName":"Other","legalDocument":"9"}"#)
            let otherID = try #require(try other.object()["id"] as? String)
            try await client.json(.post, "/v1/organizations/\(otherID)/control-rules", token: author, body: limit)
                .expectProblem(.forbidden, code: "SR-1009")
            #expect(try await prepared.persistence.controlRules.countActive(organizationID: ledger.organization) == 3)
        }
    }

    /// At most 1,000 active rules per organization, also when creates race; a disabled one
    /// frees its place.
    @Test(arguments: TestBackend.available)
    func anOrganizationHoldsAtMostAThousandActiveRules(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await LedgerFixture.make(client, steppedUp: true)
            let ids = IdentifierGenerator(clock: SystemClock())
            let now = SystemClock().now()
            let rules = (0..<(ControlRule.maxActivePerOrganization - 1)).map { index in
                StoredControlRule(
                    id: ids.nextText(), organizationID: ledger.organization,
                    definition: ControlRuleDraft(kind: "limit", asset: "USD", accountAlias: "@a\(index)", perTransaction: "1"), version: 1,
                    active: true, createdAt: now, createdBy: "user:test", updatedAt: now, updatedBy: "user:test"
                )
            }
            try await prepared.persistence.write { work in
                for rule in rules { try await work.controlRules.create(rule) }
            }
            let path = Self.rules(ledger)
            let limit = #"{"kind":"limit","account_alias":"@last","asset":"USD","per_transaction":"1"}"#
            // Racing for the last place, exactly one create wins: each counts under the
            // organization's rule lock.
            let token = ledger.token
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await client.json(.post, path, token: token, body: limit).status.code } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [201, 422, 422, 422], "\(statuses)")
            try await client.json(.post, path, token: ledger.token, body: limit).expectProblem(.unprocessableContent, code: "SR-3014")
            let first = try #require(rules.first?.id)
            #expect(try await client.json(.post, "\(path)/\(first)/disable", token: ledger.token).status == .ok)
            #expect(try await client.json(.post, path, token: ledger.token, body: limit).status == .created)
            try await client.json(.post, path, token: ledger.token, body: limit).expectProblem(.unprocessableContent, code: "SR-3014")
            #expect(try await prepared.persistence.controlRules.countActive(organizationID: ledger.organization) == 1_000)
        }
    }
}
