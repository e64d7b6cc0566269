import Audit
import Bookkeeping
import Foundation
import HTTPTypes
import HummingbirdTesting
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// The issue's scenario, through HTTP, on both backends: fund, move with every body form,
/// hold, commit, cancel, expire and revert, reading every balance and operation back.
@Suite("Ledger scenario")
struct LedgerScenarioTests {
    @Test(arguments: TestBackend.available)
    func moneyMovesExactlyThroughEveryForm(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await LedgerFixture.make(client)
            let external = try await ledger.get("/accounts/external/USD")
            #expect(external.status == .ok)
            #expect(try external.object()["alias"] as? String == "@external/USD")
            try await ledger.account("@alice")
            try await ledger.account("@bob")

            // Fund alice from the outside world.
            let funding = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))
            #expect(funding["amount"] as? String == "100.00")
            #expect(funding["source"] as? [String] == ["@external/USD"])
            #expect(try await ledger.money("@alice") == ("100.00", "0.00"))
            #expect(try await ledger.money("@external/USD") == ("-100.00", "0.00"))

            // Move money between accounts, then out of the ledger.
            _ = try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "30.00"))
            _ = try await ledger.posted("outflow", LedgerFixture.outflow("@bob", "10.01"))
            #expect(try await ledger.money("@alice") == ("70.00", "0.00"))
            #expect(try await ledger.money("@bob") == ("19.99", "0.00"))
            #expect(try await ledger.money("@external/USD") == ("-89.99", "0.00"))

            // Hold and commit.
            let held = try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "20.00", extra: #""pending":true,"#))
            #expect((held["status"] as? [String: Any])?["code"] as? String == "PENDING")
            #expect(try await ledger.money("@alice") == ("50.00", "20.00"))
            #expect(try await ledger.money("@bob") == ("19.99", "0.00"))
            let heldID = try #require(held["id"] as? String)
            let commit = try await ledger.post("/transactions/\(heldID)/commit", "")
            #expect(commit.status == .created, "\(commit.text)")
            #expect((try commit.object()["status"] as? [String: Any])?["code"] as? String == "APPROVED")
            #expect(try await ledger.money("@alice") == ("50.00", "0.00"))
            #expect(try await ledger.money("@bob") == ("39.99", "0.00"))
            try await ledger.post("/transactions/\(heldID)/commit", "").expectProblem(.unprocessableContent, code: "SR-2016")
            try await ledger.post("/transactions/\(heldID)/cancel", "").expectProblem(.unprocessableContent, code: "SR-2016")

            // Hold and cancel.
            let cancelled = try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "5.00", extra: #""pending":true,"#))
            let cancelledID = try #require(cancelled["id"] as? String)
            #expect(try await ledger.money("@alice") == ("45.00", "5.00"))
            #expect(try await ledger.post("/transactions/\(cancelledID)/cancel", "").status == .created)
            #expect(try await ledger.money("@alice") == ("50.00", "0.00"))
            try await ledger.post("/transactions/\(cancelledID)/commit", "").expectProblem(.unprocessableContent, code: "SR-2016")

            // Hold with an expiry; the sweeper cancels it once it is due (also after a restart:
            // it reads what is due from the database).
            let expiry = RFC3339.format(prepared.clock.now().adding(seconds: 3600))
            let expiring = try await ledger.posted(
                "json", LedgerFixture.transfer("@alice", "@bob", "7.00", extra: #""pending":true,"pendingExpiresAt":"\#(expiry)","#)
            )
            let expiringID = try #require(expiring["id"] as? String)
            #expect(expiring["pendingExpiresAt"] as? String == expiry)
            let sweeper = ExpirySweeper(
                persistence: prepared.persistence, engine: .init(clock: prepared.clock), clock: prepared.clock, logger: TestDatabase.logger
            )
            #expect(try await sweeper.sweepExpiredTransactions(now: prepared.clock.now()) == 0)
            #expect(try await ledger.money("@alice") == ("43.00", "7.00"))
            let beforeSweep = try await prepared.persistence.audit.head()?.seq ?? 0
            #expect(try await sweeper.sweepExpiredTransactions(now: prepared.clock.now().adding(seconds: 3601)) == 1)
            // The service's own change is recorded like any other, with the actor `system`. It
            // need not be the head: the refused commit and cancel above reach the chain through
            // the audit outbox, whose flush every 200 ms may come after the sweep.
            let expiryRecords = try await prepared.persistence.audit.records(after: beforeSweep, limit: 100)
                .filter { $0.action == "transaction.expire" }
            #expect(expiryRecords.count == 1)
            let expiryRecord = try #require(expiryRecords.first)
            #expect(expiryRecord.resource == "transaction:\(expiringID)")
            #expect(expiryRecord.actorKind == "system")
            #expect(try await sweeper.sweepExpiredTransactions(now: prepared.clock.now().adding(seconds: 3601)) == 0)
            #expect(try await ledger.money("@alice") == ("50.00", "0.00"))
            let expired = try await ledger.get("/transactions/\(expiringID)").object()
            #expect((expired["status"] as? [String: Any])?["code"] as? String == "CANCELED")
            #expect((expired["status"] as? [String: Any])?["description"] as? String == "expired")

            // Revert the committed transfer, once.
            let revert = try await ledger.post("/transactions/\(heldID)/revert", "")
            #expect(revert.status == .created, "\(revert.text)")
            let reverted = try revert.object()
            #expect(reverted["parentTransactionId"] as? String == heldID)
            #expect(reverted["source"] as? [String] == ["@bob"])
            #expect(try await ledger.money("@alice") == ("70.00", "0.00"))
            #expect(try await ledger.money("@bob") == ("19.99", "0.00"))
            try await ledger.post("/transactions/\(heldID)/revert", "").expectProblem(.unprocessableContent, code: "SR-2018")
            try await ledger.post("/transactions/\(cancelledID)/revert", "").expectProblem(.unprocessableContent, code: "SR-2019")
            let original = try await ledger.get("/transactions/\(heldID)").object()
            #expect(original["revertedBy"] as? String == reverted["id"] as? String)

            // Operations read back: alice's chain of balances, each before = previous after.
            let aliceID = try #require(try await ledger.balance("@alice")["accountId"] as? String)
            let operations = try #require(try await ledger.get("/accounts/\(aliceID)/operations?limit=100&sort_order=asc").object()["items"] as? [[String: Any]])
            #expect(operations.map { $0["type"] as? String } == [
                "CREDIT", "DEBIT", "ON_HOLD", "DEBIT", "ON_HOLD", "RELEASE", "ON_HOLD", "RELEASE", "CREDIT",
            ])
            var previous: [String: Any]?
            for operation in operations {
                let before = try #require(operation["balance"] as? [String: Any])
                if let previous {
                    #expect(before["available"] as? String == previous["available"] as? String)
                    #expect(before["onHold"] as? String == previous["onHold"] as? String)
                    #expect(before["version"] as? Int == (previous["version"] as? Int).map { $0 })
                }
                previous = operation["balanceAfter"] as? [String: Any]
            }
            #expect(previous?["available"] as? String == "70.00")
            let first = try #require(operations.first)
            let one = try await ledger.get("/accounts/\(aliceID)/operations/\(try #require(first["id"] as? String))")
            #expect(one.status == .ok)
            #expect((try one.object()["amount"] as? [String: Any])?["value"] as? String == "100.00")
        }
    }
}
