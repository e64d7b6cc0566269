import Foundation
import HTTPTypes
import HummingbirdTesting
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// `POST …/transactions/batch`: per-item results, all-or-none when atomic, idempotent as a
/// whole, and its limits.
@Suite("Transaction batches")
struct TransactionBatchTests {
    static func batch(_ items: [String], atomic: Bool? = nil) -> String {
        let flag = atomic.map { #""atomic":\#($0),"# } ?? ""
        return "{\(flag)\"transactions\":[\(items.joined(separator: ","))]}"
    }

    /// A ledger where @a holds 100.00 and @b and @c hold nothing.
    static func funded(_ client: any TestClientProtocol) async throws -> LedgerFixture {
        let ledger = try await LedgerFixture.make(client)
        for alias in ["@a", "@b", "@c"] { try await ledger.account(alias) }
        _ = try await ledger.posted("inflow", LedgerFixture.inflow("@a", "100.00"))
        return ledger
    }

    @Test(arguments: TestBackend.available)
    func aRefusedItemFailsAloneAndTheRestCommit(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await Self.funded(client)
            let response = try await ledger.post("/transactions/batch", Self.batch([
                LedgerFixture.transfer("@a", "@b", "30.00"),
                LedgerFixture.transfer("@a", "@c", "500.00"),  // more than @a holds
                LedgerFixture.transfer("@a", "@nobody", "1.00"),  // no such account
                LedgerFixture.transfer("@b", "@c", "30.00"),  // spends what item 0 brought
            ]))
            #expect(response.status == .ok, "\(response.text)")
            let answer = try response.object()
            #expect(answer["created"] as? Int == 2)
            #expect(answer["failed"] as? Int == 2)
            let items = try #require(answer["items"] as? [[String: Any]])
            #expect(items.map { $0["index"] as? Int } == [0, 1, 2, 3])
            #expect(items.map { $0["status"] as? Int } == [201, 422, 422, 201])
            #expect(items.map { ($0["error"] as? [String: Any])?["code"] as? String } == [nil, "SR-2010", "SR-2015", nil])
            // Each refused item is a problem object, as any refusal is.
            for item in items where item["status"] as? Int != 201 {
                let problem = try #require(item["error"] as? [String: Any])
                let code = try #require(problem["code"] as? String)
                #expect(problem["type"] as? String == "urn:strongroom:problem:\(code)")
                #expect(problem["title"] as? String == "Unprocessable Content")
                #expect(problem["status"] as? Int == item["status"] as? Int)
                #expect(problem["detail"] is String)
                #expect(problem["message"] as? String == problem["detail"] as? String)
                #expect(problem["instance"] == nil)
            }
            let created = try #require(items[0]["transaction"] as? [String: Any])
            #expect((created["operations"] as? [Any])?.count == 2)

            #expect(try await ledger.money("@a") == ("70.00", "0.00"))
            #expect(try await ledger.money("@b") == ("0.00", "0.00"))
            #expect(try await ledger.money("@c") == ("30.00", "0.00"))
            let listed = try await ledger.get("/transactions?limit=50")
            #expect((try listed.object()["items"] as? [Any])?.count == 3, "the inflow and the two created")
            try await BookAudit(base: ledger.base, fetch: ledger.fetch).verify()
        }
    }

    @Test(arguments: TestBackend.available)
    func anAtomicBatchWithARefusedItemCommitsNothing(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await Self.funded(client)
            let refused = try await ledger.post("/transactions/batch", Self.batch([
                LedgerFixture.transfer("@a", "@b", "30.00"),
                LedgerFixture.transfer("@a", "@c", "500.00"),
            ], atomic: true))
            #expect(refused.status == .unprocessableContent)
            let problem = try refused.object()
            #expect(problem["code"] as? String == "SR-2040")
            let fields = try #require(problem["fields"] as? [[String: Any]])
            #expect(fields.map { $0["field"] as? String } == ["transactions[1]"])
            #expect((fields.first?["message"] as? String)?.hasPrefix("SR-2010") == true)
            #expect(try await ledger.money("@a") == ("100.00", "0.00"))
            #expect(try await ledger.money("@b") == ("0.00", "0.00"))
            #expect((try await ledger.get("/transactions?limit=50").object()["items"] as? [Any])?.count == 1)

            let accepted = try await ledger.post("/transactions/batch", Self.batch([
                LedgerFixture.transfer("@a", "@b", "30.00"), LedgerFixture.transfer("@b", "@c", "10.00"),
            ], atomic: true))
            #expect(accepted.status == .ok)
            #expect(try accepted.object()["created"] as? Int == 2)
            #expect(try await ledger.money("@b") == ("20.00", "0.00"))
            try await BookAudit(base: ledger.base, fetch: ledger.fetch).verify()
        }
    }

    @Test func compactAnswersCarryOnlyIdsAndStatuses() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let ledger = try await Self.funded(client)
            let response = try await ledger.post("/transactions/batch?response=compact", Self.batch([
                LedgerFixture.transfer("@a", "@b", "1.00"), LedgerFixture.transfer("@c", "@b", "1.00"),
            ]))
            #expect(response.status == .ok)
            let items = try #require(try response.object()["items"] as? [[String: Any]])
            #expect(items.map { Set($0.keys) } == [["index", "status", "id"], ["index", "status", "error"]])
            let id = try #require(items[0]["id"] as? String)
            #expect(try await ledger.get("/transactions/\(id)").status == .ok)
            #expect(try await ledger.post("/transactions/batch?response=tiny", Self.batch([LedgerFixture.transfer("@a", "@b", "1.00")])).status
                == .badRequest)
        }
    }

    @Test(arguments: TestBackend.available)
    func aBatchIsIdempotentAsAWhole(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await Self.funded(client)
            var headers = HTTPFields()
            headers[HTTPField.Name("Idempotency-Key")!] = "batch-1"
            let body = Self.batch([LedgerFixture.transfer("@a", "@b", "5.00"), LedgerFixture.transfer("@a", "@c", "5.00")])
            let first = try await ledger.post("/transactions/batch", body, headers: headers)
            let again = try await ledger.post("/transactions/batch", body, headers: headers)
            #expect(first.status == .ok)
            #expect(again.status == .ok)
            #expect(again.headers[HTTPField.Name("X-Idempotency-Replayed")!] == "true")
            #expect(again.text == first.text)
            #expect(try await ledger.money("@a") == ("90.00", "0.00"))
            let other = try await ledger.post("/transactions/batch", Self.batch([LedgerFixture.transfer("@a", "@b", "5.00")]), headers: headers)
            #expect(other.status == .unprocessableContent)
            #expect(try other.object()["code"] as? String == "SR-2030")
        }
    }

    @Test func itsLimitsAreAnsweredWithProblems() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let ledger = try await Self.funded(client)
            let empty = try await ledger.post("/transactions/batch", Self.batch([]))
            #expect(empty.status == .badRequest)
            #expect(try empty.object()["code"] as? String == "SR-0002")
            let unknown = try await ledger.post("/transactions/batch", #"{"transactions":[],"dryRun":true}"#)
            #expect(unknown.status == .badRequest)
            #expect(try unknown.object()["code"] as? String == "SR-0003")

            let item = LedgerFixture.transfer("@a", "@b", "0.01")
            let tooMany = try await ledger.post("/transactions/batch", Self.batch(Array(repeating: item, count: TransactionBatchRequest.maxItems + 1)))
            #expect(tooMany.status == .badRequest, "\(tooMany.text.prefix(300))")

            // Over the 1 MiB of other routes and under this route's 8 MiB: accepted.
            let large = Self.batch(Array(repeating: item, count: 5000))
            #expect(large.utf8.count > 1 << 20)
            let accepted = try await ledger.post("/transactions/batch?response=compact", large)
            #expect(accepted.status == .ok)
            #expect(try accepted.object()["created"] as? Int == 5000)
            #expect(try await ledger.money("@b") == ("50.00", "0.00"))
            let single = try await ledger.post("/transactions/json", item + String(repeating: " ", count: 1 << 20))
            #expect(single.status == .contentTooLarge)

            let huge = try await ledger.post("/transactions/batch", Self.batch([item]) + String(repeating: " ", count: 8 << 20))
            #expect(huge.status == .contentTooLarge)
            try await BookAudit(base: ledger.base, fetch: ledger.fetch).verify()
        }
    }
}
