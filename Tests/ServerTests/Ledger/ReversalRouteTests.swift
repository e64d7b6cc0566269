import Foundation
import HTTPTypes
import HummingbirdTesting
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// `POST …/transactions/{id}/revert` answers each transaction that cannot be reverted with
/// 422 and that reason's own code.
@Suite("Reversal route")
struct ReversalRouteTests {
    @Test(arguments: TestBackend.available)
    func eachUnrevertibleTransactionHasItsOwnCode(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            try await ledger.account("@alice")
            try await ledger.account("@bob")
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))
            let original = try #require(try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "10.00"))["id"] as? String)
            let pending = LedgerFixture.transfer("@alice", "@bob", "5.00", extra: #""pending":true,"#)
            let held = try #require(try await ledger.posted("json", pending)["id"] as? String)
            let cancelled = try #require(try await ledger.posted("json", pending)["id"] as? String)
            #expect(try await ledger.post("/transactions/\(cancelled)/cancel", "").status == .created)

            let revert = try await ledger.post("/transactions/\(original)/revert", "")
            #expect(revert.status == .created, "\(revert.text)")
            let reversal = try #require(try revert.object()["id"] as? String)

            try await ledger.post("/transactions/\(reversal)/revert", "").expectProblem(.unprocessableContent, code: "SR-2036")
            try await ledger.post("/transactions/\(held)/revert", "").expectProblem(.unprocessableContent, code: "SR-2027")
            try await ledger.post("/transactions/\(cancelled)/revert", "").expectProblem(.unprocessableContent, code: "SR-2019")
            try await ledger.post("/transactions/\(original)/revert", "").expectProblem(.unprocessableContent, code: "SR-2018")
            #expect(try await ledger.money("@alice") == ("95.00", "5.00"))
        }
    }
}
