import Bookkeeping
import Controls
import Foundation
import LedgerCore
import StrongroomKernel

/// `LedgerStore` in SQL that both backends run unchanged (see "The posting path" in
/// docs/ARCHITECTURE.md for the locking it does).
struct SQLLedgerStore: LedgerStore {
    let executor: any SQLExecutor

    private var forUpdate: String { executor.dialect == .postgres ? " FOR UPDATE" : "" }

    private func codec<E: LedgerRecord>(_ type: E.Type) throws -> any SQLEntity.Type {
        guard let codec = type as? any SQLEntity.Type else { throw StorageError.decoding("\(E.kind) has no table") }
        return codec
    }

    private func decode<E: LedgerRecord>(_ type: E.Type, _ row: SQLRow) throws -> E {
        guard let entity = try codec(type).init(row: row) as? E else { throw StorageError.decoding("\(E.kind) row") }
        return entity
    }

    // MARK: Onboarding entities

    func insert<E: LedgerRecord>(_ entity: E) async throws {
        guard let entity = entity as? any SQLEntity else { throw StorageError.decoding("\(E.kind) has no table") }
        let type = Swift.type(of: entity)
        do {
            try await executor.execute(
                "INSERT INTO \(type.table) (\(type.columnList)) VALUES (\(SQLBulk.placeholders(type.columns.count)))", entity.values
            )
        } catch let violation as UniqueViolation {
            throw Self.translate(violation, entity)
        }
    }

    /// The live-row unique indexes a racing insert can still hit after the service's own check.
    private static func translate(_ violation: UniqueViolation, _ entity: any SQLEntity) -> any Error {
        switch entity {
        case let account as Account: StrongroomError.aliasTaken(account.alias)
        case let asset as Asset: StrongroomError.assetCodeTaken(asset.code)
        default: violation
        }
    }

    func update<E: LedgerRecord>(_ entity: E) async throws {
        guard let entity = entity as? any SQLEntity else { throw StorageError.decoding("\(E.kind) has no table") }
        let type = Swift.type(of: entity)
        let assignments = type.columns.enumerated().dropFirst().map { "\($0.element) = $\($0.offset + 1)" }.joined(separator: ", ")
        try await executor.execute("UPDATE \(type.table) SET \(assignments) WHERE id = $1 AND deleted_at IS NULL", entity.values)
    }

    func find<E: LedgerRecord>(_ type: E.Type, id: String, in scope: EntityScope) async throws -> E? {
        let codec = try codec(type)
        var sql = ListSQL(dialect: executor.dialect)
        sql.add("id = $?", .text(id))
        sql.add("deleted_at IS NULL")
        sql.scope(scope)
        return try await executor.queryOne("SELECT \(codec.selectList) FROM \(codec.table) \(sql.whereClause)", sql.binds)
            .map { try decode(type, $0) }
    }

    func list<E: LedgerRecord>(_ type: E.Type, in scope: EntityScope, query: PageQuery) async throws -> [E] {
        let codec = try codec(type)
        var sql = ListSQL(dialect: executor.dialect)
        sql.add("deleted_at IS NULL")
        sql.scope(scope)
        sql.filter(query.filter)
        let order = query.filter.sortOrder == .asc ? "ASC" : "DESC"
        return try await executor.query(
            "SELECT \(codec.selectList) FROM \(codec.table) \(sql.whereClause) ORDER BY id \(order) LIMIT \(query.limit) OFFSET \(query.offset)",
            sql.binds
        ).map { try decode(type, $0) }
    }

    func count<E: LedgerRecord>(_ type: E.Type, in scope: EntityScope) async throws -> Int {
        let codec = try codec(type)
        var sql = ListSQL(dialect: executor.dialect)
        sql.add("deleted_at IS NULL")
        sql.scope(scope)
        return Int(try await executor.queryOne("SELECT COUNT(*) AS n FROM \(codec.table) \(sql.whereClause)", sql.binds)?.int("n") ?? 0)
    }

    func softDelete<E: LedgerRecord>(_ type: E.Type, id: String, at time: Timestamp) async throws {
        let codec = try codec(type)
        try await executor.execute(
            "UPDATE \(codec.table) SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL", [.time(time), .text(id)]
        )
    }

    func hasLiveChildren(_ kind: EntityKind, linkedBy column: ChildLink, to parentID: String) async throws -> Bool {
        let table = try codec(Self.type(of: kind)).table
        return try await executor.queryOne(
            "SELECT 1 AS found FROM \(table) WHERE \(column.rawValue) = $1 AND deleted_at IS NULL LIMIT 1", [.text(parentID)]
        ) != nil
    }

    private static func type(of kind: EntityKind) -> any LedgerRecord.Type {
        switch kind {
        case .organization: Organization.self
        case .ledger: Ledger.self
        case .asset: Asset.self
        case .portfolio: Portfolio.self
        case .segment: Segment.self
        case .account: Account.self
        }
    }

    func hasLiveAccounts(assetCode: String, in ledger: LedgerRef) async throws -> Bool {
        try await executor.queryOne(
            "SELECT 1 AS found FROM ledger_accounts WHERE ledger_id = $1 AND asset_code = $2 AND type <> $3 AND deleted_at IS NULL LIMIT 1",
            [.text(ledger.ledgerID), .text(assetCode), .text(Account.externalType)]
        ) != nil
    }

    func hasNonZeroBalances(assetCode: String, in ledger: LedgerRef) async throws -> Bool {
        try await executor.queryOne(
            """
            SELECT 1 AS found FROM ledger_balances
            WHERE ledger_id = $1 AND asset_code = $2 AND deleted_at IS NULL AND (available <> '0' OR on_hold <> '0') LIMIT 1
            """,
            [.text(ledger.ledgerID), .text(assetCode)]
        ) != nil
    }

    func account(alias: String, in ledger: LedgerRef) async throws -> Account? {
        try await executor.queryOne(
            "SELECT \(Account.selectList) FROM ledger_accounts WHERE ledger_id = $1 AND alias = $2 AND organization_id = $3 AND deleted_at IS NULL",
            [.text(ledger.ledgerID), .text(alias), .text(ledger.organizationID)]
        ).map(Account.init(row:))
    }

    func asset(code: String, in ledger: LedgerRef) async throws -> Asset? {
        try await executor.queryReused(
            "SELECT \(Asset.selectList) FROM ledger_assets WHERE ledger_id = $1 AND code = $2 AND organization_id = $3 AND deleted_at IS NULL",
            [.text(ledger.ledgerID), .text(code), .text(ledger.organizationID)]
        ).first.map(Asset.init(row:))
    }

    // MARK: Balances

    func insertBalance(_ balance: Balance) async throws {
        let s = balance.state
        try await executor.execute(
            """
            INSERT INTO ledger_balances (id, organization_id, ledger_id, account_id, alias, asset_code, account_type, scale, available,
                on_hold, version, allow_sending, allow_receiving, allow_overdraft, overdraft_limit, external, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            """,
            [
                .text(balance.id), .text(balance.organizationID), .text(balance.ledgerID), .text(balance.accountID), .text(balance.alias),
                .text(balance.assetCode), .text(balance.accountType), .int(Int64(s.available.scale)), .amount(s.available), .amount(s.onHold),
                .int(s.version), .bool(s.allowSending), .bool(s.allowReceiving), .bool(s.allowOverdraft), .amount(s.overdraftLimit),
                .bool(s.isExternal), .time(balance.createdAt), .time(balance.updatedAt),
            ]
        )
    }

    private func liveBalances(_ condition: String, _ binds: [SQLValue], suffix: String = "") async throws -> [Balance] {
        try await executor.query(
            "SELECT \(LedgerRows.balanceColumns) FROM \(LedgerRows.balanceFrom) WHERE b.deleted_at IS NULL AND \(condition)\(suffix)", binds
        ).map(LedgerRows.balance)
    }

    func balance(id: String, in ledger: LedgerRef) async throws -> Balance? {
        try await liveBalances(
            "b.id = $1 AND b.ledger_id = $2 AND b.organization_id = $3", [.text(id), .text(ledger.ledgerID), .text(ledger.organizationID)]
        ).first
    }

    func balance(alias: String, in ledger: LedgerRef) async throws -> Balance? {
        try await liveBalances(
            "b.ledger_id = $1 AND b.alias = $2 AND b.organization_id = $3 AND a.deleted_at IS NULL",
            [.text(ledger.ledgerID), .text(alias), .text(ledger.organizationID)]
        ).first
    }

    func balances(aliases: [String], in ledger: LedgerRef) async throws -> [Balance] {
        if executor.dialect == .postgres {
            // One index seek per alias, whatever the planner's statistics say. With an IN
            // list, PostgreSQL weighs the list against its estimate of the ledger's rows, and
            // while a new ledger's statistics are stale (until autovacuum's first ANALYZE) it
            // filtered every balance of the ledger instead: 7–12 ms a flush at 10,000
            // accounts. `LIMIT 1` (the partial unique index allows one live balance per alias)
            // keeps the subquery from being flattened into a join the planner could hash.
            return try await executor.queryReused(
                """
                SELECT x.* FROM unnest($3::text[]) AS w(alias) CROSS JOIN LATERAL (
                    SELECT \(LedgerRows.balanceColumns) FROM \(LedgerRows.balanceFrom)
                    WHERE b.ledger_id = $1 AND b.alias = w.alias AND b.organization_id = $2 AND b.deleted_at IS NULL AND a.deleted_at IS NULL
                    LIMIT 1
                ) x
                """,
                [.text(ledger.ledgerID), .text(ledger.organizationID), .text(PostgresArrayLiteral.text(aliases))]
            ).map(LedgerRows.balance)
        }
        var found: [Balance] = []
        for run in SQLBulk.runs(aliases, of: SQLBulk.maxBinds / 2) {
            found += try await liveBalances(
                "b.ledger_id = $1 AND b.organization_id = $2 AND a.deleted_at IS NULL AND b.alias IN (\(SQLBulk.placeholders(run.count, from: 3)))",
                [.text(ledger.ledgerID), .text(ledger.organizationID)] + run.map(SQLValue.text)
            )
        }
        return found
    }

    func balances(ofAccount accountID: String) async throws -> [Balance] {
        try await liveBalances("b.account_id = $1", [.text(accountID)], suffix: " ORDER BY b.id")
    }

    func balances(accountID: String?, in ledger: LedgerRef, query: CursorQuery) async throws -> CursorPage<Balance> {
        var sql = ListSQL(dialect: executor.dialect)
        sql.add("b.deleted_at IS NULL")
        sql.scope(.ledger(ledger), prefix: "b.")
        if let accountID { sql.add("b.account_id = $?", .text(accountID)) }
        sql.filter(query.filter, prefix: "b.", metadataColumn: nil)
        return try await sql.page(
            select: "SELECT \(LedgerRows.balanceColumns) FROM \(LedgerRows.balanceFrom)", idColumn: "b.id", query: query, executor: executor,
            decode: LedgerRows.balance, id: \.id
        )
    }

    func lockBalances(ids: [String]) async throws -> [String: Balance] {
        guard !ids.isEmpty else { return [:] }
        let sorted = Set(ids).sorted()
        let lockClause = executor.dialect == .postgres ? " FOR UPDATE OF b" : ""
        let rows = try await executor.query(
            """
            SELECT \(LedgerRows.balanceColumns) FROM \(LedgerRows.balanceFrom)
            WHERE b.id IN (\(SQLBulk.placeholders(sorted.count))) AND b.deleted_at IS NULL AND a.deleted_at IS NULL
            ORDER BY b.id\(lockClause)
            """,
            sorted.map(SQLValue.text)
        )
        var balances: [String: Balance] = [:]
        for row in rows {
            let balance = try LedgerRows.balance(row)
            balances[balance.id] = balance
        }
        return balances
    }

    func writeBalances(_ writes: [(balance: Balance, expectedVersion: Int64)]) async throws {
        // One UPDATE … FROM a VALUES list per chunk; a row not at its expected version is not
        // updated, and the count of rows returned tells.
        let columns = 6
        for chunk in SQLBulk.runs(writes, of: SQLBulk.maxBinds / columns) {
            let written = try await executor.query(
                """
                WITH v(id, available, on_hold, version, updated_at, expected) AS (VALUES \(SQLBulk.rows(chunk.count, columns: columns)))
                UPDATE ledger_balances SET available = v.available, on_hold = v.on_hold, version = v.version, updated_at = v.updated_at
                FROM v WHERE ledger_balances.id = v.id AND ledger_balances.version = v.expected RETURNING ledger_balances.id
                """,
                chunk.flatMap { write -> [SQLValue] in
                    let s = write.balance.state
                    return [.text(write.balance.id), .amount(s.available), .amount(s.onHold), .int(s.version), .time(write.balance.updatedAt), .int(write.expectedVersion)]
                }
            )
            guard written.count == chunk.count else {
                // A row changed under a lock we hold: a bug, and the unit of work must not commit.
                throw StorageError.decoding("\(chunk.count - written.count) balances were not at the version read under their lock")
            }
        }
    }

    func updateBalanceSettings(_ balance: Balance) async throws {
        let s = balance.state
        try await executor.execute(
            """
            UPDATE ledger_balances SET allow_sending = $1, allow_receiving = $2, allow_overdraft = $3, overdraft_limit = $4, updated_at = $5
            WHERE id = $6 AND deleted_at IS NULL
            """,
            [.bool(s.allowSending), .bool(s.allowReceiving), .bool(s.allowOverdraft), .amount(s.overdraftLimit), .time(balance.updatedAt),
             .text(balance.id)]
        )
    }

    func softDeleteBalance(id: String, at time: Timestamp) async throws {
        try await executor.execute(
            "UPDATE ledger_balances SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL", [.time(time), .text(id)]
        )
    }

    // MARK: Transactions

    func insertTransactions(_ transactions: [Transaction]) async throws {
        try await executor.insertRows(
            into: "ledger_transactions", columns: LedgerRows.transactionColumns, columnCount: LedgerRows.transactionColumnCount,
            transactions, values: LedgerRows.transactionValues
        )
    }

    func insertOperations(_ operations: [LedgerOperation]) async throws {
        try await executor.insertRows(
            into: "ledger_operations", columns: LedgerRows.operationColumns, columnCount: LedgerRows.operationColumnCount, operations,
            values: LedgerRows.operationValues
        )
    }

    private func transactionRow(id: String, in ledger: LedgerRef, lock: Bool) async throws -> Transaction? {
        try await executor.queryOne(
            """
            SELECT \(LedgerRows.transactionColumns) FROM ledger_transactions
            WHERE id = $1 AND ledger_id = $2 AND organization_id = $3\(lock ? forUpdate : "")
            """,
            [.text(id), .text(ledger.ledgerID), .text(ledger.organizationID)]
        ).map(LedgerRows.transaction)
    }

    private func withOperations(_ transaction: Transaction?) async throws -> Transaction? {
        guard var transaction else { return nil }
        transaction.operations = try await executor.query(
            "SELECT \(LedgerRows.operationColumns) FROM ledger_operations WHERE transaction_id = $1 ORDER BY id", [.text(transaction.id)]
        ).map(LedgerRows.operation)
        return transaction
    }

    func transaction(id: String, in ledger: LedgerRef) async throws -> Transaction? {
        try await withOperations(try await transactionRow(id: id, in: ledger, lock: false))
    }

    func lockTransaction(id: String, in ledger: LedgerRef) async throws -> Transaction? {
        try await withOperations(try await transactionRow(id: id, in: ledger, lock: true))
    }

    func updateTransactionStatus(id: String, status: TransactionStatus, description: String?, at time: Timestamp) async throws {
        let updated = try await executor.query(
            "UPDATE ledger_transactions SET status = $1, status_description = $2, updated_at = $3 WHERE id = $4 AND status = 'PENDING' RETURNING id",
            [.text(status.rawValue), .optional(description), .time(time), .text(id)]
        )
        guard updated.count == 1 else { throw StorageError.decoding("transaction \(id) was not pending under its lock") }
    }

    func setRevertedBy(id: String, revertedBy: String, at time: Timestamp) async throws {
        let updated = try await executor.query(
            "UPDATE ledger_transactions SET reverted_by = $1, updated_at = $2 WHERE id = $3 AND reverted_by IS NULL RETURNING id",
            [.text(revertedBy), .time(time), .text(id)]
        )
        guard updated.count == 1 else { throw StorageError.decoding("transaction \(id) was reverted under its lock") }
    }

    func updateTransactionAnnotations(_ transaction: Transaction) async throws {
        try await executor.execute(
            "UPDATE ledger_transactions SET description = $1, metadata = $2, updated_at = $3 WHERE id = $4",
            [.optional(transaction.description), .text(transaction.metadata.json), .time(transaction.updatedAt), .text(transaction.id)]
        )
    }

    func transactions(in ledger: LedgerRef, query: CursorQuery) async throws -> CursorPage<Transaction> {
        var sql = ListSQL(dialect: executor.dialect)
        sql.scope(.ledger(ledger))
        sql.filter(query.filter)
        var page = try await sql.page(
            select: "SELECT \(LedgerRows.transactionColumns) FROM ledger_transactions", idColumn: "id", query: query, executor: executor,
            decode: LedgerRows.transaction, id: \.id
        )
        if !page.items.isEmpty {
            let ids = page.items.map(\.id)
            let operations = try await executor.query(
                "SELECT \(LedgerRows.operationColumns) FROM ledger_operations WHERE transaction_id IN (\(SQLBulk.placeholders(ids.count))) ORDER BY id",
                ids.map(SQLValue.text)
            ).map(LedgerRows.operation)
            let grouped = Dictionary(grouping: operations, by: \.transactionID)
            page = CursorPage(
                items: page.items.map { transaction in
                    var transaction = transaction
                    transaction.operations = grouped[transaction.id] ?? []
                    return transaction
                },
                next: page.next, previous: page.previous
            )
        }
        return page
    }

    func dueExpiries(now: Timestamp, limit: Int) async throws -> [(LedgerRef, String)] {
        try await executor.query(
            """
            SELECT id, organization_id, ledger_id FROM ledger_transactions
            WHERE status = 'PENDING' AND pending_expires_at IS NOT NULL AND pending_expires_at <= $1
            ORDER BY pending_expires_at LIMIT \(limit)
            """,
            [.time(now)]
        ).map { (LedgerRef(organizationID: try $0.text("organization_id"), ledgerID: try $0.text("ledger_id")), try $0.text("id")) }
    }

    // MARK: Operations

    func operation(id: String, in ledger: LedgerRef) async throws -> LedgerOperation? {
        try await executor.queryOne(
            "SELECT \(LedgerRows.operationColumns) FROM ledger_operations WHERE id = $1 AND ledger_id = $2 AND organization_id = $3",
            [.text(id), .text(ledger.ledgerID), .text(ledger.organizationID)]
        ).map(LedgerRows.operation)
    }

    func operations(accountID: String, in ledger: LedgerRef, type: MovementKind?, query: CursorQuery) async throws -> CursorPage<LedgerOperation> {
        var sql = ListSQL(dialect: executor.dialect)
        sql.scope(.ledger(ledger))
        sql.add("account_id = $?", .text(accountID))
        if let type { sql.add("type = $?", .text(type.rawValue)) }
        sql.filter(query.filter)
        return try await sql.page(
            select: "SELECT \(LedgerRows.operationColumns) FROM ledger_operations", idColumn: "id", query: query, executor: executor,
            decode: LedgerRows.operation, id: \.id
        )
    }

    // MARK: Controls

    /// The advisory lock class that orders postings against controls, with the hash of the
    /// ledger's id as the key (PostgreSQL's two-key form). Two ledgers that share a hash only
    /// make each other's freezes wait for a moment longer, never a posting.
    static let controlFenceClass: Int32 = 0x5352_4346  // "SRCF"

    /// PostgreSQL: a shared advisory lock per ledger, taken first in the posting's unit of
    /// work and held until it ends. Postings never wait on each other here; a freeze, lock or
    /// lifting takes the same lock exclusively (`setControl`), so it waits for the postings
    /// in flight in its ledger and new ones wait for it, and then read it: without this, a
    /// posting whose statement snapshot predates a freeze's commit could commit after it
    /// (READ COMMITTED re-checks a locked balance row, not the account, portfolio and ledger
    /// rows joined to it). SQLite runs one unit of work at a time: nothing to order.
    func fenceControls(ledgerIDs: [String]) async throws {
        guard executor.dialect == .postgres, !ledgerIDs.isEmpty else { return }
        try await executor.execute(
            // `IS NULL` turns the function's void into a boolean the row decoder reads.
            "SELECT pg_advisory_xact_lock_shared(\(Self.controlFenceClass), hashtext(t.id)) IS NULL FROM (VALUES \(SQLBulk.rows(ledgerIDs.count, columns: 1))) AS t(id)",
            ledgerIDs.map(SQLValue.text)
        )
    }

    func setControl(_ subject: ControlSubject, id: String, in scope: EntityScope, to record: ControlRecord?, at time: Timestamp) async throws
        -> Bool
    {
        if executor.dialect == .postgres {
            // The ledger's control fence, exclusively (`fenceControls`): in flight postings in
            // the ledger commit first, and the next ones read this change.
            let ledgerColumn = subject == .ledger ? "id" : "ledger_id"
            try await executor.execute(
                "SELECT pg_advisory_xact_lock(\(Self.controlFenceClass), hashtext(\(ledgerColumn))) IS NULL FROM \(ControlColumns.table(subject)) WHERE id = $1",
                [.text(id)]
            )
        }
        // The live entity in its scope, as `find` selects it; the new values bind after.
        var sql = ListSQL(dialect: executor.dialect)
        sql.add("id = $?", .text(id))
        sql.add("deleted_at IS NULL")
        sql.scope(scope)
        let names = ControlColumns.names(subject)
        let first = sql.binds.count + 1
        let assignments = (names + ["updated_at"]).enumerated().map { "\($0.element) = $\(first + $0.offset)" }.joined(separator: ", ")
        let values: [SQLValue] = [
            .optional(record?.reason), .optional(record?.actor), record.map { .time($0.createdAt) } ?? .null, .time(time),
        ]
        let changed = try await executor.query(
            "UPDATE \(ControlColumns.table(subject)) SET \(assignments) \(sql.whereClause) RETURNING id", sql.binds + values
        )
        return !changed.isEmpty
    }

    func updateOperationAnnotations(_ operation: LedgerOperation) async throws {
        try await executor.execute(
            "UPDATE ledger_operations SET description = $1, metadata = $2, updated_at = $3 WHERE id = $4",
            [.optional(operation.description), .text(operation.metadata.json), .time(operation.updatedAt), .text(operation.id)]
        )
    }
}
