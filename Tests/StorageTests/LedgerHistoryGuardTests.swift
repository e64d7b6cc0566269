import Bookkeeping
import Foundation
import LedgerCore
@testable import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// Posted transactions and operations are guarded by the database itself (migration 6): as
/// the service role and as the owner, on each backend, only annotations, one status move
/// out of PENDING and one `reverted_by` link get through; every other rewrite, DELETE and
/// TRUNCATE is refused. SQLite has no roles, so there the owner case is the only one.
@Suite("Ledger history guard")
struct LedgerHistoryGuardTests {
    /// Realistic rows, posted through the engine: the funding transfer (approved), a
    /// transfer that was reverted, its reversal, a committed, a cancelled (by expiry) and
    /// `openHolds` still-pending transactions.
    struct Rows {
        let ref: LedgerRef
        let funding: String
        let reverted: String
        let reversal: String
        let committed: String
        let cancelled: String
        let holds: [String]
        let operation: String
    }

    static func post(_ persistence: Persistence, openHolds: Int) async throws -> Rows {
        let ref = try await PostingEngineTests.books(persistence)
        let engine = PostingEngine(clock: PostingEngineTests.clock)
        func run(_ commands: [PostingCommand]) async throws -> [Transaction] {
            try await persistence.write { work in try await engine.run(commands, store: work.ledger) }.map { try $0.get() }
        }
        let transfer = PostingEngineTests.transfer
        let posted = try await run(
            [.create(transfer("@a", "@b", "10.00", false), form: .json, ledger: ref)]
                + (0..<(2 + openHolds)).map { _ in .create(transfer("@a", "@b", "1.00", true), form: .json, ledger: ref) }
        )
        let holds = posted.dropFirst().map(\.id)
        let reversal = try await run([
            .revert(transactionID: posted[0].id, ledger: ref), .commit(transactionID: holds[0], ledger: ref),
            .cancel(transactionID: holds[1], ledger: ref, reason: .expired),
        ])[0]
        let known = Set(posted.map(\.id) + [reversal.id])
        let all = try await persistence.ledger.transactions(in: ref, query: CursorQuery(limit: 50)).items
        let funding = try #require(all.first { !known.contains($0.id) })
        return Rows(
            ref: ref, funding: funding.id, reverted: posted[0].id, reversal: reversal.id, committed: holds[0], cancelled: holds[1],
            holds: Array(holds.dropFirst(2)), operation: try #require(funding.operations.first).id
        )
    }

    /// Runs `body` with the connections to try as: the owner always, the service role where
    /// it is another role.
    static func withRoles(
        _ persistence: Persistence, _ database: TestDatabase, _ body: ([(String, any SQLDatabase)]) async throws -> Void
    ) async throws {
        let owner = try await database.openAsOwner()
        do {
            try await body(database.backend == .postgres ? [("service role", persistence.database), ("owner", owner)] : [("owner", owner)])
            await owner.close()
        } catch {
            await owner.close()
            throw error
        }
    }

    /// Runs `sql` in a write transaction (SQLite's `direct` readers are read-only, so they
    /// would refuse any write whatever the triggers say).
    static func write(_ database: any SQLDatabase, _ sql: String, _ binds: [SQLValue]) async throws {
        try await database.transaction { try await $0.execute(sql, binds) }
    }

    /// The statement must fail, and for the owner because a guard trigger said so (the
    /// service role may meet its missing column grant first).
    static func expectRefused(
        _ sql: String, _ binds: [SQLValue], as role: String, _ database: any SQLDatabase, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        do {
            try await write(database, sql, binds)
            Issue.record("\(role) was allowed: \(sql)", sourceLocation: sourceLocation)
        } catch {
            let text = String(reflecting: error)
            let byGrant = role == "service role" && text.contains("permission denied")
            #expect(
                text.contains(LedgerHistoryGuardSchema.refusal) || byGrant, "\(role): \(sql) failed otherwise: \(text)",
                sourceLocation: sourceLocation
            )
        }
    }

    @Test(arguments: TestBackend.available)
    func everyRewriteOfPostedHistoryIsRefused(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, database in
            let rows = try await Self.post(persistence, openHolds: 0)
            let funding: [SQLValue] = [.text(rows.funding)]
            var attempts: [(String, [SQLValue])] = [
                ("UPDATE ledger_transactions SET amount = '1' WHERE id = $1", funding),
                ("UPDATE ledger_transactions SET asset_code = 'EUR' WHERE id = $1", funding),
                ("UPDATE ledger_transactions SET scale = 0 WHERE id = $1", funding),
                ("UPDATE ledger_transactions SET legs = '[]' WHERE id = $1", funding),
                ("UPDATE ledger_transactions SET legs = replace(legs, '@a', '@b') WHERE id = $1", funding),
                ("UPDATE ledger_transactions SET ledger_id = 'elsewhere' WHERE id = $1", funding),
                ("UPDATE ledger_transactions SET created_at = 0 WHERE id = $1", funding),
                ("UPDATE ledger_transactions SET id = 'renamed' WHERE id = $1", funding),
                // A reversal made revertible again.
                ("UPDATE ledger_transactions SET parent_transaction_id = NULL WHERE id = $1", [.text(rows.reversal)]),
                // Status: back to PENDING from each final status, and between the final ones.
                ("UPDATE ledger_transactions SET status = 'PENDING' WHERE id = $1", funding),
                ("UPDATE ledger_transactions SET status = 'PENDING' WHERE id = $1", [.text(rows.committed)]),
                ("UPDATE ledger_transactions SET status = 'PENDING' WHERE id = $1", [.text(rows.cancelled)]),
                ("UPDATE ledger_transactions SET status = 'CANCELED' WHERE id = $1", [.text(rows.committed)]),
                ("UPDATE ledger_transactions SET status = 'APPROVED' WHERE id = $1", [.text(rows.cancelled)]),
                ("UPDATE ledger_transactions SET status_description = 'edited' WHERE id = $1", [.text(rows.cancelled)]),
                // reverted_by: a second link, a removed link, a link on what cannot be reverted.
                ("UPDATE ledger_transactions SET reverted_by = 'another' WHERE id = $1", [.text(rows.reverted)]),
                ("UPDATE ledger_transactions SET reverted_by = NULL WHERE id = $1", [.text(rows.reverted)]),
                ("UPDATE ledger_transactions SET reverted_by = 'another' WHERE id = $1", [.text(rows.reversal)]),
                ("UPDATE ledger_transactions SET reverted_by = 'another' WHERE id = $1", [.text(rows.cancelled)]),
                // Operations: the money, the account, the balance chain.
                ("UPDATE ledger_operations SET amount = '1' WHERE id = $1", [.text(rows.operation)]),
                ("UPDATE ledger_operations SET asset_code = 'EUR' WHERE id = $1", [.text(rows.operation)]),
                ("UPDATE ledger_operations SET account_id = 'someone', account_alias = '@b' WHERE id = $1", [.text(rows.operation)]),
                ("UPDATE ledger_operations SET type = CASE type WHEN 'DEBIT' THEN 'CREDIT' ELSE 'DEBIT' END WHERE id = $1", [.text(rows.operation)]),
                ("UPDATE ledger_operations SET available_after = '0' WHERE id = $1", [.text(rows.operation)]),
                ("UPDATE ledger_operations SET transaction_id = $2 WHERE id = $1", [.text(rows.operation), .text(rows.reverted)]),
                ("UPDATE ledger_operations SET status = 'CANCELED' WHERE id = $1", [.text(rows.operation)]),
                ("DELETE FROM ledger_operations WHERE id = $1", [.text(rows.operation)]),
                ("DELETE FROM ledger_operations", []),
                ("DELETE FROM ledger_transactions WHERE id = $1", [.text(rows.reversal)]),
                ("DELETE FROM ledger_transactions", []),
            ]
            if backend == .postgres {
                attempts += [("TRUNCATE ledger_operations", []), ("TRUNCATE ledger_transactions CASCADE", [])]
            } else {
                // REPLACE removes the conflicting row first; with recursive triggers on, that
                // removal meets the DELETE trigger.
                let columns = (LedgerHistoryGuardSchema.transactionFrozen + LedgerHistoryGuardSchema.transactionChangeable)
                let values = columns.map { $0 == "amount" ? "'1'" : $0 }
                attempts.append((
                    "REPLACE INTO ledger_transactions (\(columns.joined(separator: ", "))) SELECT \(values.joined(separator: ", ")) FROM ledger_transactions WHERE id = $1",
                    funding
                ))
            }
            let before = try await Self.snapshot(persistence)
            try await Self.withRoles(persistence, database) { roles in
                for (role, connection) in roles {
                    for (sql, binds) in attempts { await Self.expectRefused(sql, binds, as: role, connection) }
                }
            }
            #expect(try await Self.snapshot(persistence) == before)
        }
    }

    @Test(arguments: TestBackend.available)
    func annotationsOneStatusMoveAndOneRevertLinkAreAllowed(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, database in
            let rows = try await Self.post(persistence, openHolds: 4)
            try await Self.withRoles(persistence, database) { roles in try await Self.allowedChanges(rows, roles) }
            let funding = try #require(try await persistence.ledger.transaction(id: rows.funding, in: rows.ref))
            #expect(funding.description == "by owner")
            #expect(funding.revertedBy == "reversal-by-owner")
            #expect(try await persistence.ledger.transaction(id: rows.holds[0], in: rows.ref)?.status == .approved)
            #expect(try await persistence.ledger.transaction(id: rows.holds[1], in: rows.ref)?.status == .canceled)
        }
    }

    static func allowedChanges(_ rows: Rows, _ roles: [(String, any SQLDatabase)]) async throws {
        for (index, (role, connection)) in roles.enumerated() {
            let approve = rows.holds[2 * index], cancel = rows.holds[2 * index + 1]
            let allowed: [(String, [SQLValue])] = [
                ("UPDATE ledger_transactions SET description = 'by \(role)', metadata = '{\"k\":\"v\"}', updated_at = 1 WHERE id = $1",
                 [.text(rows.funding)]),
                ("UPDATE ledger_operations SET description = 'by \(role)', metadata = '{}', updated_at = 2 WHERE id = $1", [.text(rows.operation)]),
                ("UPDATE ledger_transactions SET status = 'APPROVED', updated_at = 3 WHERE id = $1", [.text(approve)]),
                ("UPDATE ledger_transactions SET status = 'CANCELED', status_description = 'expired' WHERE id = $1", [.text(cancel)]),
                // Writing a guarded column back unchanged changes nothing, so it passes.
                ("UPDATE ledger_transactions SET status = status, reverted_by = reverted_by WHERE id = $1", [.text(rows.reverted)]),
            ]
            for (sql, binds) in allowed {
                await #expect(throws: Never.self, "\(role): \(sql)") { try await Self.write(connection, sql, binds) }
            }
            // Each final status is final: the second move of the same row is refused.
            await Self.expectRefused(
                "UPDATE ledger_transactions SET status = 'CANCELED' WHERE id = $1", [.text(approve)], as: role, connection
            )
        }
        // The first reverted_by of an approved original, once (the column is UNIQUE, so
        // each role links its own original).
        for (role, connection) in roles {
            let link = "reversal-by-\(role.replacingOccurrences(of: " ", with: "-"))"
            let original = role == "owner" ? rows.funding : rows.committed
            await #expect(throws: Never.self, "\(role)") {
                try await Self.write(connection, "UPDATE ledger_transactions SET reverted_by = $1 WHERE id = $2", [.text(link), .text(original)])
            }
            await Self.expectRefused(
                "UPDATE ledger_transactions SET reverted_by = 'again' WHERE id = $1", [.text(original)], as: role, connection
            )
        }
    }

    /// The product's own writes (the PATCH routes' annotations; commit, expiry, revert ran
    /// in `post`) still go through under the guard.
    @Test(arguments: TestBackend.available)
    func theStoresAnnotationsStillWrite(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let rows = try await Self.post(persistence, openHolds: 0)
            var transaction = try #require(try await persistence.ledger.transaction(id: rows.reverted, in: rows.ref))
            var operation = try #require(transaction.operations.first)
            transaction.description = "annotated"
            transaction.metadata = Metadata(["note": .string("kept")])
            transaction.updatedAt = PostingEngineTests.clock.now()
            operation.description = "annotated too"
            operation.updatedAt = transaction.updatedAt
            try await persistence.write { [transaction, operation] work in
                try await work.ledger.updateTransactionAnnotations(transaction)
                try await work.ledger.updateOperationAnnotations(operation)
            }
            let stored = try #require(try await persistence.ledger.transaction(id: rows.reverted, in: rows.ref))
            #expect(stored.description == "annotated")
            #expect(stored.metadata == transaction.metadata)
            #expect(stored.operations.first?.description == "annotated too")
            #expect(stored.revertedBy == rows.reversal)
        }
    }

    /// Every column is either frozen or named as changeable, so SQLite's triggers, which
    /// list the frozen ones, miss none; and the PostgreSQL service role may UPDATE exactly
    /// the changeable ones.
    @Test(arguments: TestBackend.available)
    func theGuardCoversEveryColumnAndTheGrantsFollowIt(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let tables = [
                ("ledger_transactions", LedgerHistoryGuardSchema.transactionFrozen, LedgerHistoryGuardSchema.transactionChangeable),
                ("ledger_operations", LedgerHistoryGuardSchema.operationFrozen, LedgerHistoryGuardSchema.operationChangeable),
            ]
            for (table, frozen, changeable) in tables {
                let sql = backend == .postgres
                    ? "SELECT column_name AS name FROM information_schema.columns WHERE table_name = $1"
                    : "SELECT name FROM pragma_table_info($1)"
                let columns = try await persistence.database.direct.query(sql, [.text(table)]).map { try $0.text("name") }
                #expect(Set(columns) == Set(frozen + changeable), "\(table)")
                #expect(Set(frozen).isDisjoint(with: changeable), "\(table)")
                guard backend == .postgres else { continue }
                let tableGrants = try await persistence.database.direct.query(
                    "SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = $1 AND grantee = current_user",
                    [.text(table)]
                ).map { try $0.text("privilege_type") }
                #expect(Set(tableGrants) == ["SELECT", "INSERT"], "\(table)")
                let updatable = try await persistence.database.direct.query(
                    """
                    SELECT column_name FROM information_schema.column_privileges
                    WHERE table_name = $1 AND grantee = current_user AND privilege_type = 'UPDATE'
                    """,
                    [.text(table)]
                ).map { try $0.text("column_name") }
                #expect(Set(updatable) == Set(changeable), "\(table)")
            }
        }
    }

    /// A later migration's grant on a table replaces an earlier one's outright.
    @Test
    func aLaterGrantReplacesAnEarlierOne() {
        let grants = Migrator.effectiveGrants(Schema.migrations)
        #expect(grants.count == Set(grants.map(\.table)).count)
        let transactions = grants.first { $0.table == "ledger_transactions" }
        #expect(transactions?.privileges == "SELECT, INSERT, UPDATE (description, metadata, status, status_description, reverted_by, updated_at)")
        #expect(grants.first { $0.table == "ledger_balances" }?.privileges == "SELECT, INSERT, UPDATE")
    }

    static func snapshot(_ persistence: Persistence) async throws -> [String] {
        let transactions = try await persistence.database.direct.query(
            "SELECT id, status, amount, legs, reverted_by, parent_transaction_id FROM ledger_transactions ORDER BY id", []
        ).map { row in
            [try row.text("id"), try row.text("status"), try row.text("amount"), try row.text("legs"),
             try row.optionalText("reverted_by") ?? "-", try row.optionalText("parent_transaction_id") ?? "-"].joined(separator: "|")
        }
        let operations = try await persistence.database.direct.query(
            "SELECT id, transaction_id, account_id, amount, type, available_after FROM ledger_operations ORDER BY id", []
        ).map { row in
            try ["id", "transaction_id", "account_id", "amount", "type", "available_after"].map { try row.text($0) }.joined(separator: "|")
        }
        return transactions + operations
    }
}
