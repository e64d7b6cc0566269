/// Runs statements on one backend, inside a transaction or against the database directly.
///
/// Statements are written once for both backends with `$1`, `$2`, … placeholders (the
/// SQLite executor rewrites them to `?1`, `?2`, …, which bind by the same number). Where
/// the dialects differ, a store asks `dialect`.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
}

extension SQLExecutor {
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
