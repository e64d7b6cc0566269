/// A connected database of either backend: direct statements for reads, and transactions
/// for writes. `Persistence` builds stores and units of work on top of it.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs each statement on its own, outside any explicit transaction: for reads.
    var direct: any SQLExecutor { get }
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// PostgreSQL retries the whole body on serialization failures and deadlocks, so `body`
    /// must have no effects outside the transaction.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Runs the migrator's work under the backend's cross-process migration lock.
    func withMigrationLock<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// How many of its connections are lent out now (the server's pool metrics).
    var connectionPoolUse: ConnectionPoolUse { get }
    /// Answers whether the database is reachable now.
    func ping() async -> Bool
    /// Leaves no copy of deleted rows' bytes in the files the backend itself manages, once
    /// they are committed deleted (after a holder's erasure). SQLite truncates its
    /// write-ahead log, its deleted content being already zeroed (`secure_delete`); answers
    /// false when a reader kept it from finishing. PostgreSQL answers true and does nothing:
    /// a dead row stays in its table until a VACUUM, which is the operator's (SECURITY.md).
    func discardDeletedResidue() async throws -> Bool
    func close() async
}
