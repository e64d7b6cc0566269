/// Runs statements on one backend, inside a transaction or against the database directly.
///
/// Statements are written once for both backends with `$1`, `$2`, … placeholders (the
/// SQLite executor rewrites them to `?1`, `?2`, …, which bind by the same number). Where
/// the dialects differ, a store asks `dialect`.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]

    /// Runs a statement whose text the caller sends again and again (the flush's: its shape
    /// does not depend on how many rows it carries). A backend that can keep it prepared per
    /// connection does, so it is parsed and planned once per connection, not once per run:
    /// PostgreSQL (`PostgresPreparedStatements`). SQLite's handle keeps every statement
    /// prepared anyway, so there it is `query`.
    func queryReused(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]

    /// Inserts rows into `table`: `values` holds them one after the other, `columnCount`
    /// values each, in the order of `columns` (comma-separated). By default multi-row
    /// INSERTs of at most `rowsPerStatement` rows; a backend with a cheaper form for many
    /// rows has its own. Called through `insertRows`, which checks the counts.
    func insert(into table: String, columns: String, columnCount: Int, values: [SQLValue], rowsPerStatement: Int) async throws
}

extension SQLExecutor {
    public func queryReused(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await query(sql, binds)
    }

    public func insert(into table: String, columns: String, columnCount: Int, values: [SQLValue], rowsPerStatement: Int) async throws {
        try await insertValues(into: table, columns: columns, columnCount: columnCount, values: values, rowsPerStatement: rowsPerStatement)
    }

    /// `INSERT … VALUES (…), (…)` in runs of at most `rowsPerStatement` rows.
    func insertValues(into table: String, columns: String, columnCount: Int, values: [SQLValue], rowsPerStatement: Int) async throws {
        for run in SQLBulk.runs(values, of: rowsPerStatement * columnCount) {
            try await execute(
                "INSERT INTO \(table) (\(columns)) VALUES \(SQLBulk.rows(run.count / columnCount, columns: columnCount))", Array(run)
            )
        }
    }

    public func execute(_ sql: String, _ binds: [SQLValue] = []) async throws {
        _ = try await query(sql, binds)
    }

    public func queryOne(_ sql: String, _ binds: [SQLValue] = []) async throws -> SQLRow? {
        try await query(sql, binds).first
    }

    /// Runs `body` between `begin` and `COMMIT` on this executor's connection, and rolls
    /// back when it throws. The caller owns the connection for the whole of it.
    func inTransaction<T>(begin: String = "BEGIN", _ body: (any SQLExecutor) async throws -> T) async throws -> T {
        try await execute(begin)
        do {
            let result = try await body(self)
            try await execute("COMMIT")
            return result
        } catch {
            try? await execute("ROLLBACK")
            throw error
        }
    }
}

public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}
