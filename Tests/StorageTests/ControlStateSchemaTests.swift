import Bookkeeping
import BookkeepingTestSupport
import Controls
@testable import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// Migration 7 keeps a freeze or lock whole and explained on both backends: who, when and why
/// are all set or all null, the reason is 1 to 500 characters, and an entity's own update (a
/// PATCH) never writes them, so it cannot lift a freeze it raced.
@Suite("Control state schema")
struct ControlStateSchemaTests {
    @Test(arguments: TestBackend.available)
    func aFreezeIsWholeExplainedAndOutOfAPatchsReach(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let books = PostingBooks(clock: ManualClock())
            try await SQLPostingBackend(persistence: persistence).seed(books)
            let ledgerID = books.ledger.id
            let scope = EntityScope.organization(books.organization.id)

            for (sql, binds) in [
                ("UPDATE ledger_ledgers SET frozen_at = 1 WHERE id = $1", [SQLValue.text(ledgerID)]),
                ("UPDATE ledger_ledgers SET frozen_reason = 'why', frozen_at = 1 WHERE id = $1", [.text(ledgerID)]),
                (
                    "UPDATE ledger_ledgers SET frozen_reason = $2, frozen_actor = 'user:x', frozen_at = 1 WHERE id = $1",
                    [.text(ledgerID), .text(String(repeating: "a", count: 501))]
                ),
                ("UPDATE ledger_ledgers SET frozen_reason = '', frozen_actor = 'user:x', frozen_at = 1 WHERE id = $1", [.text(ledgerID)]),
            ] {
                do {
                    try await persistence.database.transaction { try await $0.execute(sql, binds) }
                    Issue.record("allowed: \(sql)")
                } catch {
                    #expect(String(reflecting: error).lowercased().contains("check constraint"), "\(sql) failed otherwise: \(error)")
                }
            }

            let record = ControlRecord(reason: String(repeating: "é", count: 500), actor: "user:x", createdAt: ManualClock.start)
            let set = try await persistence.write { work in
                try await work.ledger.setControl(.ledger, id: ledgerID, in: scope, to: record, at: ManualClock.start)
            }
            #expect(set)
            let frozen = try #require(try await persistence.ledger.find(Ledger.self, id: ledgerID, in: scope))
            #expect(frozen.freeze == record)

            // An update of the entity, as a PATCH writes it, leaves the freeze alone.
            var changed = books.ledger
            changed.name = "Renamed"
            let renamed = changed
            try await persistence.write { work in try await work.ledger.update(renamed) }
            let after = try #require(try await persistence.ledger.find(Ledger.self, id: ledgerID, in: scope))
            #expect(after.name == "Renamed")
            #expect(after.freeze == record)

            // Another organization's scope finds nothing to freeze.
            let elsewhere = try await persistence.write { work in
                try await work.ledger.setControl(.ledger, id: ledgerID, in: .organization(books.ledger.id), to: nil, at: ManualClock.start)
            }
            #expect(!elsewhere)
            let lifted = try await persistence.write { work in
                try await work.ledger.setControl(.ledger, id: ledgerID, in: scope, to: nil, at: ManualClock.start)
            }
            #expect(lifted)
            #expect(try await persistence.ledger.find(Ledger.self, id: ledgerID, in: scope)?.freeze == nil)
        }
    }
}
