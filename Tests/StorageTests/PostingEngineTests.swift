import Bookkeeping
import Foundation
import LedgerCore
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// The posting path over a real database of each backend: batches apply in order, a
/// refused command fails alone, and a lifecycle step happens once per batch as well.
@Suite("Posting engine")
struct PostingEngineTests {
    static let clock = SystemClock()

    /// A ledger with a USD asset and accounts `@a` (funded with 100.00) and `@b`.
    static func books(_ persistence: Persistence) async throws -> LedgerRef {
        let onboarding = Onboarding(clock: clock)
        let engine = PostingEngine(clock: clock)
        return try await persistence.write { work in
            let store = work.ledger
            let organization = try await onboarding.createOrganization(try decode(#"{"legalName":"A","legalDocument":"1"}"#), store: store)
            let ledger = try await onboarding.createLedger(try decode(#"{"name":"L"}"#), organizationID: organization.id, store: store)
            let ref = LedgerRef(organizationID: organization.id, ledgerID: ledger.id)
            _ = try await onboarding.createAsset(try decode(#"{"name":"Dollar","type":"currency","code":"USD"}"#), in: ref, store: store)
            for alias in ["@a", "@b"] {
                _ = try await onboarding.createAccount(try decode(#"{"assetCode":"USD","type":"deposit","alias":"\#(alias)"}"#), in: ref, store: store)
            }
            let funding = try await engine.run([.create(transfer("@external/USD", "@a", "100.00"), form: .json, ledger: ref)], store: store)
            _ = try funding[0].get()
            return ref
        }
    }

    static func decode<T: Decodable>(_ json: String) throws -> T { try JSONDecoder().decode(T.self, from: Data(json.utf8)) }

    static func transfer(_ from: String, _ to: String, _ value: String, pending: Bool = false) -> TransactionBody {
        var body = TransactionBody(send: .init(
            asset: "USD", value: value, source: .init(from: [.init(accountAlias: from, remaining: "remaining")]),
            distribute: .init(to: [.init(accountAlias: to, remaining: "remaining")])
        ))
        body.pending = pending
        return body
    }

    static func available(_ alias: String, _ ref: LedgerRef, _ persistence: Persistence) async throws -> String {
        try #require(try await persistence.ledger.balance(alias: alias, in: ref)).state.available.description
    }

    @Test(arguments: TestBackend.available)
    func aBatchAppliesInOrderAndARefusedCommandFailsAlone(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let ref = try await Self.books(persistence)
            let engine = PostingEngine(clock: Self.clock)
            let outcomes = try await persistence.write { work in
                try await engine.run([
                    .create(Self.transfer("@a", "@b", "60.00"), form: .json, ledger: ref),
                    .create(Self.transfer("@a", "@b", "60.00"), form: .json, ledger: ref),  // only 40.00 left
                    .create(Self.transfer("@b", "@a", "10.00"), form: .json, ledger: ref),  // sees the first one's credit
                    .create(Self.transfer("@a", "@nobody", "1.00"), form: .json, ledger: ref),
                ], store: work.ledger)
            }
            #expect(throws: Never.self) { try outcomes[0].get() }
            #expect(throws: StrongroomError(.insufficientFunds, "")) { try outcomes[1].get() }
            #expect(throws: Never.self) { try outcomes[2].get() }
            #expect(throws: StrongroomError(.unknownAccount, "")) { try outcomes[3].get() }
            #expect(try await Self.available("@a", ref, persistence) == "50.00")
            #expect(try await Self.available("@b", ref, persistence) == "50.00")
        }
    }

    @Test(arguments: TestBackend.available)
    func oneBatchCannotCommitOrCancelOneTransactionTwice(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let ref = try await Self.books(persistence)
            let engine = PostingEngine(clock: Self.clock)
            // Two holds, so a second settlement of the first would find money on hold to take.
            let held = try await persistence.write { work in
                try await engine.run([
                    .create(Self.transfer("@a", "@b", "30.00", pending: true), form: .json, ledger: ref),
                    .create(Self.transfer("@a", "@b", "30.00", pending: true), form: .json, ledger: ref),
                ], store: work.ledger).map { try $0.get().id }
            }
            let outcomes = try await persistence.write { work in
                try await engine.run([
                    .commit(transactionID: held[0], ledger: ref),
                    .commit(transactionID: held[0], ledger: ref),
                    .cancel(transactionID: held[0], ledger: ref, reason: .requested),
                ], store: work.ledger)
            }
            #expect(throws: Never.self) { try outcomes[0].get() }
            #expect(throws: StrongroomError(.notPending, "")) { try outcomes[1].get() }
            #expect(throws: StrongroomError(.notPending, "")) { try outcomes[2].get() }
            let a = try #require(try await persistence.ledger.balance(alias: "@a", in: ref)).state
            #expect(a.available.description == "40.00")
            #expect(a.onHold.description == "30.00")
            #expect(try await Self.available("@b", ref, persistence) == "30.00")

            let reverts = try await persistence.write { work in
                try await engine.run([.revert(transactionID: held[0], ledger: ref), .revert(transactionID: held[0], ledger: ref)], store: work.ledger)
            }
            #expect(throws: Never.self) { try reverts[0].get() }
            #expect(throws: StrongroomError(.alreadyReverted, "")) { try reverts[1].get() }
            #expect(try await Self.available("@b", ref, persistence) == "0.00")
        }
    }
}
