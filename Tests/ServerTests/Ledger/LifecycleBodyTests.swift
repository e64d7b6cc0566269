import Foundation
import HTTPTypes
import HummingbirdTesting
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Commit, cancel and revert take no fields: no body and `{}` are accepted, anything else is
/// refused 400 like any bad body, not silently ignored.
@Suite("Lifecycle bodies")
struct LifecycleBodyTests {
    @Test(arguments: TestBackend.available)
    func aBodyThatIsNotAnEmptyObjectIsRefused(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            try await ledger.account("@alice")
            try await ledger.account("@bob")
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))
            func pending() async throws -> String {
                let held = try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "1.00", extra: #""pending":true,"#))
                return try #require(held["id"] as? String)
            }

            for step in ["commit", "cancel", "revert"] {
                let id = step == "revert"
                    ? try #require(try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "1.00"))["id"] as? String)
                    : try await pending()
                for (body, code) in [
                    ("not json", "SR-0001"), ("[]", "SR-0001"), ("\"commit\"", "SR-0001"), (#"{"reason":"x"}"#, "SR-0003"), ("{", "SR-0001"),
                ] {
                    try await ledger.post("/transactions/\(id)/\(step)", body).expectProblem(.badRequest, code: code)
                }
                // Nothing happened: the transaction still takes the step.
                let taken = try await ledger.post("/transactions/\(id)/\(step)", step == "cancel" ? "{}" : " \n")
                #expect(taken.status == .created, "\(step): \(taken.text)")
            }
            // No body at all.
            let id = try await pending()
            let committed = try await ledger.send(.post, "/transactions/\(id)/commit")
            #expect(committed.status == .created, "\(committed.text)")
        }
    }
}
