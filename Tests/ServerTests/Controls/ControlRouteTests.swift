import Bookkeeping
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// The freeze and lock routes on both backends: what each control stops and what it lets
/// through ("Controls: what may move" in docs/ARCHITECTURE.md), its 422 code, the state on
/// the entity's JSON, lifting it, and its audit record.
@Suite("Control routes")
struct ControlRouteTests {
    static let reason = #"{"reason":"incident 42: card data exposure"}"#

    /// The audit records of `action` on `resource`.
    static func records(_ client: any TestClientProtocol, _ ledger: LedgerFixture, action: String, resource: String) async throws
        -> [[String: Any]]
    {
        let events = try await client.json(.get, "/v1/audit/events?action=\(action)&limit=100", token: ledger.token)
        #expect(events.status == .ok, "\(events.text)")
        let items = try #require(try events.object()["items"] as? [[String: Any]])
        return items.filter { $0["resource"] as? String == resource }
    }

    @Test(arguments: TestBackend.available)
    func aFrozenAccountStopsSendingReceivingAndCommittingButNotCancelExpiryOrReads(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await LedgerFixture.make(client, steppedUp: true)
            try await ledger.account("@alice")
            let bob = try await ledger.account("@bob")
            try await ledger.account("@carol")
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))
            _ = try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "10.00"))
            let held = try #require(
                try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "5.00", extra: #""pending":true,"#))["id"] as? String
            )
            let committable = try #require(
                try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "4.00", extra: #""pending":true,"#))["id"] as? String
            )
            let expiry = RFC3339.format(prepared.clock.now().adding(seconds: 3600))
            let expiring = try #require(
                try await ledger.posted(
                    "json", LedgerFixture.transfer("@alice", "@bob", "3.00", extra: #""pending":true,"pendingExpiresAt":"\#(expiry)","#)
                )["id"] as? String
            )

            let frozen = try await ledger.post("/accounts/\(bob)/freeze", Self.reason)
            #expect(frozen.status == .ok, "\(frozen.text)")
            let freeze = try #require(try frozen.object()["freeze"] as? [String: Any])
            #expect(freeze["reason"] as? String == "incident 42: card data exposure")
            #expect((freeze["actor"] as? String)?.hasPrefix("user:") == true)
            #expect(freeze["createdAt"] is String)
            // Readable on the account, and independent of `blocked`.
            let read = try await ledger.get("/accounts/\(bob)").object()
            #expect((read["freeze"] as? [String: Any])?["reason"] as? String == "incident 42: card data exposure")
            #expect(read["blocked"] as? Bool == false)

            // Sending, receiving, committing: refused with the freeze's own code.
            try await ledger.post("/transactions/json", LedgerFixture.transfer("@alice", "@bob", "1.00"))
                .expectProblem(.unprocessableContent, code: "SR-3001")
            try await ledger.post("/transactions/json", LedgerFixture.transfer("@bob", "@carol", "1.00"))
                .expectProblem(.unprocessableContent, code: "SR-3001")
            try await ledger.post("/transactions/inflow", LedgerFixture.inflow("@bob", "1.00"))
                .expectProblem(.unprocessableContent, code: "SR-3001")
            try await ledger.post("/transactions/\(committable)/commit", "").expectProblem(.unprocessableContent, code: "SR-3001")
            // A PATCH of `blocked` cannot lift a freeze.
            #expect(try await ledger.send(.patch, "/accounts/\(bob)", #"{"blocked":false}"#).status == .ok)
            try await ledger.post("/transactions/json", LedgerFixture.transfer("@alice", "@bob", "1.00"))
                .expectProblem(.unprocessableContent, code: "SR-3001")

            // Cancelling and expiry go on; so do reads.
            #expect(try await ledger.post("/transactions/\(held)/cancel", "").status == .created)
            let sweeper = ExpirySweeper(
                persistence: prepared.persistence, engine: .init(clock: prepared.clock), clock: prepared.clock, logger: TestDatabase.logger
            )
            #expect(try await sweeper.sweepExpiredTransactions(now: prepared.clock.now().adding(seconds: 3601)) == 1)
            let expired = try await ledger.get("/transactions/\(expiring)").object()
            #expect((expired["status"] as? [String: Any])?["code"] as? String == "CANCELED")
            #expect(try await ledger.money("@bob") == ("10.00", "0.00"))
            #expect(try await ledger.money("@alice") == ("86.00", "4.00"))
            #expect(try await ledger.get("/accounts/\(bob)/operations").status == .ok)

            // Unfreezing restores it.
            let unfrozen = try await ledger.post("/accounts/\(bob)/unfreeze", #"{"reason":"incident 42 closed"}"#)
            #expect(unfrozen.status == .ok, "\(unfrozen.text)")
            #expect(try unfrozen.object()["freeze"] == nil)
            #expect(try await ledger.get("/accounts/\(bob)").object()["freeze"] == nil)
            #expect(try await ledger.post("/transactions/\(committable)/commit", "").status == .created)
            _ = try await ledger.posted("json", LedgerFixture.transfer("@bob", "@carol", "2.00"))
            #expect(try await ledger.money("@bob") == ("12.00", "0.00"))

            // Each change is one audit record, with its reason.
            let freezes = try await Self.records(client, ledger, action: "account.freeze", resource: "account:\(bob)")
            #expect(freezes.count == 1)
            #expect(freezes.first?["outcome"] as? String == "success")
            #expect(try await Self.records(client, ledger, action: "account.unfreeze", resource: "account:\(bob)").count == 1)
        }
    }

    @Test(arguments: TestBackend.available)
    func aLockedPortfolioStopsItsAccounts(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client, steppedUp: true)
            let portfolio = try await ledger.post("/portfolios", #"{"name":"Fund"}"#)
            #expect(portfolio.status == .created)
            let portfolioID = try #require(try portfolio.object()["id"] as? String)
            let inFund = try await ledger.post(
                "/accounts", #"{"assetCode":"USD","type":"deposit","alias":"@fund","portfolioId":"\#(portfolioID)"}"#
            )
            #expect(inFund.status == .created, "\(inFund.text)")
            try await ledger.account("@alice")
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))
            _ = try await ledger.posted("json", LedgerFixture.transfer("@alice", "@fund", "10.00"))

            let locked = try await ledger.post("/portfolios/\(portfolioID)/lock", Self.reason)
            #expect(locked.status == .ok, "\(locked.text)")
            #expect((try locked.object()["lock"] as? [String: Any])?["reason"] as? String == "incident 42: card data exposure")
            #expect((try await ledger.get("/portfolios/\(portfolioID)").object()["lock"] as? [String: Any]) != nil)
            try await ledger.post("/transactions/json", LedgerFixture.transfer("@alice", "@fund", "1.00"))
                .expectProblem(.unprocessableContent, code: "SR-3002")
            try await ledger.post("/transactions/json", LedgerFixture.transfer("@fund", "@alice", "1.00"))
                .expectProblem(.unprocessableContent, code: "SR-3002")
            #expect(try await ledger.money("@fund") == ("10.00", "0.00"))

            #expect(try await ledger.post("/portfolios/\(portfolioID)/unlock", #"{"reason":"resolved"}"#).status == .ok)
            _ = try await ledger.posted("json", LedgerFixture.transfer("@fund", "@alice", "4.00"))
            #expect(try await ledger.money("@fund") == ("6.00", "0.00"))
            #expect(try await Self.records(client, ledger, action: "portfolio.lock", resource: "portfolio:\(portfolioID)").count == 1)
            #expect(try await Self.records(client, ledger, action: "portfolio.unlock", resource: "portfolio:\(portfolioID)").count == 1)
        }
    }

    @Test(arguments: TestBackend.available)
    func aFrozenLedgerStopsEveryPostingAndKeepsReads(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client, steppedUp: true)
            try await ledger.account("@alice")
            try await ledger.account("@bob")
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))
            let held = try #require(
                try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "5.00", extra: #""pending":true,"#))["id"] as? String
            )

            let frozen = try await ledger.post("/freeze", Self.reason)
            #expect(frozen.status == .ok, "\(frozen.text)")
            #expect((try await ledger.get("").object()["freeze"] as? [String: Any])?["reason"] as? String == "incident 42: card data exposure")
            try await ledger.post("/transactions/json", LedgerFixture.transfer("@alice", "@bob", "1.00"))
                .expectProblem(.unprocessableContent, code: "SR-3003")
            try await ledger.post("/transactions/inflow", LedgerFixture.inflow("@bob", "1.00"))
                .expectProblem(.unprocessableContent, code: "SR-3003")
            try await ledger.post("/transactions/\(held)/commit", "").expectProblem(.unprocessableContent, code: "SR-3003")
            #expect(try await ledger.money("@alice") == ("95.00", "5.00"))
            #expect(try await ledger.get("/transactions/\(held)").status == .ok)
            #expect(try await ledger.post("/transactions/\(held)/cancel", "").status == .created)

            #expect(try await ledger.post("/unfreeze", #"{"reason":"resolved"}"#).status == .ok)
            #expect(try await ledger.get("").object()["freeze"] == nil)
            _ = try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "1.00"))
            #expect(try await Self.records(client, ledger, action: "ledger.freeze", resource: "ledger:\(ledger.ledger)").count == 1)
            #expect(try await Self.records(client, ledger, action: "ledger.unfreeze", resource: "ledger:\(ledger.ledger)").count == 1)
        }
    }

    @Test(arguments: TestBackend.available)
    func theBodyIsStrictTheKeyActsOnceAndThePermissionIsItsOwn(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await LedgerFixture.make(client, steppedUp: true)
            let alice = try await ledger.account("@alice")
            let path = "/accounts/\(alice)/freeze"
            try await ledger.post(path, #"{}"#).expectProblem(.badRequest)
            try await ledger.post(path, #"{"reason":null}"#).expectProblem(.badRequest)
            try await ledger.post(path, #"{"reason":"x","extra":1}"#).expectProblem(.badRequest)
            try await ledger.post(path, #"{"reason":"   "}"#).expectProblem(.unprocessableContent, code: "SR-2025")
            try await ledger.post(path, #"{"reason":"\#(String(repeating: "a", count: 501))"}"#)
                .expectProblem(.unprocessableContent, code: "SR-2025")
            #expect(try await ledger.post(path, #"{"reason":"\#(String(repeating: "a", count: 500))"}"#).status == .ok)
            let unknown = UUID().uuidString.lowercased()
            try await ledger.post("/accounts/\(unknown)/freeze", Self.reason).expectProblem(.notFound)
            try await ledger.post("/portfolios/\(unknown)/lock", Self.reason).expectProblem(.notFound)

            // One effect per key: the repeat is a replay and records nothing.
            let keyed: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "freeze-1"]
            let first = try await ledger.post("/accounts/\(alice)/unfreeze", Self.reason, headers: keyed)
            #expect(first.status == .ok)
            let again = try await ledger.post("/accounts/\(alice)/unfreeze", Self.reason, headers: keyed)
            #expect(again.status == .ok)
            #expect(again.headers[HTTPField.Name("X-Idempotency-Replayed")!] == "true")
            #expect(try await Self.records(client, ledger, action: "account.unfreeze", resource: "account:\(alice)").count == 1)

            // `accounts:write` alone is not enough.
            let (_, writer) = try await IdentityFixture.user("writer", permissions: [.accountsWrite, .accountsRead], client: client, prepared: prepared)
            try await client.json(.post, ledger.base + path, token: writer, body: Self.reason).expectProblem(.forbidden)
            let (_, freezer) = try await IdentityFixture.user("freezer", permissions: [.accountsFreeze], client: client, prepared: prepared)
            #expect(try await client.json(.post, ledger.base + path, token: freezer, body: Self.reason).status == .ok)
        }
    }
}
