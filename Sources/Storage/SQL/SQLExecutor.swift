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
}

public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}
