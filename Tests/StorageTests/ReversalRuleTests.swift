import Bookkeeping
import LedgerCore
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// Which transactions a revert may name, at the engine: only an approved original, once.
/// A reversal, a pending and a cancelled transaction are each refused with their own code,
/// and the refusal moves no money.
@Suite("Reversal rules")
struct ReversalRuleTests {
    @Test(arguments: TestBackend.available)
    func onlyAnApprovedOriginalCanBeReverted(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let ref = try await PostingEngineTests.books(persistence)
            let engine = PostingEngine(clock: PostingEngineTests.clock)
            func run(_ command: PostingCommand) async throws -> PostingEngine.Outcome {
                try await persistence.write { work in try await engine.run([command], store: work.ledger) }[0]
            }
            let transfer = PostingEngineTests.transfer
            let original = try await run(.create(transfer("@a", "@b", "10.00", false), form: .json, ledger: ref)).get()
            let held = try await run(.create(transfer("@a", "@b", "5.00", true), form: .json, ledger: ref)).get()
            let cancelled = try await run(.create(transfer("@a", "@b", "5.00", true), form: .json, ledger: ref)).get()
            _ = try await run(.cancel(transactionID: cancelled.id, ledger: ref, reason: .requested)).get()
            let reversal = try await run(.revert(transactionID: original.id, ledger: ref)).get()
            #expect(reversal.parentTransactionID == original.id)

            let refusals: [(String, ErrorCode)] = [
                (reversal.id, .reversalNotRevertible), (held.id, .pendingNotRevertible), (cancelled.id, .canceledNotRevertible),
                (original.id, .alreadyReverted),
            ]
            #expect(Set(refusals.map(\.1.rawValue)).count == refusals.count)
            let before = (try await PostingEngineTests.available("@a", ref, persistence), try await PostingEngineTests.available("@b", ref, persistence))
            for (id, code) in refusals {
                let outcome = try await run(.revert(transactionID: id, ledger: ref))
                #expect(throws: StrongroomError(code, ""), "\(code.rawValue)") { try outcome.get() }
            }
            #expect(try await PostingEngineTests.available("@a", ref, persistence) == before.0)
            #expect(try await PostingEngineTests.available("@b", ref, persistence) == before.1)
            #expect(try await persistence.ledger.transaction(id: reversal.id, in: ref)?.revertedBy == nil)
        }
    }
}
