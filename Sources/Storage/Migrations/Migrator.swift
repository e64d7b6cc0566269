import Logging
import StrongroomKernel

/// Applies the schema's migrations, forward only, under a lock that makes two processes
/// starting at once safe: the second waits, then finds nothing to do.
public struct Migrator: Sendable {
    static let historyTable = "schema_migrations"
    let migrations: [Migration]

    public init() { self.migrations = Schema.migrations }

    init(migrations: [Migration]) { self.migrations = migrations }

    public var latestVersion: Int64 { migrations.last?.version ?? 0 }

    /// Applies what is pending and grants the service role (when it is a different
    /// PostgreSQL role from the owner running this) its rights. Answers the versions applied.
    @discardableResult
    public func migrate(_ database: any SQLDatabase, serviceRole: String?, logger: Logger) async throws -> [Int64] {
        if let serviceRole { try Self.checkRoleName(serviceRole) }
        let migrations = self.migrations
        return try await database.withMigrationLock { executor in
            try await executor.execute("""
                CREATE TABLE IF NOT EXISTS \(Self.historyTable) (
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at BIGINT NOT NULL
                )
                """)
            let applied = try await Self.appliedHistory(executor)
            try Self.checkHistory(applied, against: migrations)
            var newlyApplied: [Int64] = []
            for migration in migrations where applied[migration.version] == nil {
                try await Self.apply(migration, executor)
                newlyApplied.append(migration.version)
                logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
            if executor.dialect == .postgres, let serviceRole {
                try await Self.grant(migrations, to: serviceRole, executor)
            }
            return newlyApplied
        }
    }

    /// Whether every migration this build knows is applied (the readiness check).
    public func isCurrent(_ database: any SQLDatabase) async throws -> Bool {
        let rows = try await database.direct.query("SELECT version FROM \(Self.historyTable)", [])
        let applied = Set(try rows.map { try $0.int("version") })
        return migrations.allSatisfy { applied.contains($0.version) }
    }

    private static func apply(_ migration: Migration, _ executor: any SQLExecutor) async throws {
        let steps: (any SQLExecutor) async throws -> Void = { executor in
            for statement in migration.statements(for: executor.dialect) { try await executor.execute(statement) }
            try await executor.execute(
                "INSERT INTO \(historyTable) (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
                [.int(migration.version), .text(migration.name), .text(migration.checksum), .int(nowMicroseconds())]
            )
        }
        do {
            // PostgreSQL runs each migration in its own transaction on the locked connection;
            // SQLite's migration run is already one transaction.
            if executor.dialect == .postgres {
                try await executor.inTransaction(steps)
            } else {
                try await steps(executor)
            }
        } catch {
            throw StorageError.migration("migration \(migration.version) (\(migration.name)): \(error)")
        }
    }

    private static func appliedHistory(_ executor: any SQLExecutor) async throws -> [Int64: String] {
        let rows = try await executor.query("SELECT version, checksum FROM \(historyTable)", [])
        var history: [Int64: String] = [:]
        for row in rows { history[try row.int("version")] = try row.text("checksum") }
        return history
    }

    static func checkHistory(_ applied: [Int64: String], against migrations: [Migration]) throws {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, checksum) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = known[version] else {
                throw StorageError.migration(
                    "the database has migration \(version), which this build does not know: it was migrated by a newer version of Strongroom"
                )
            }
            guard migration.checksum == checksum else {
                throw StorageError.migration(
                    "migration \(version) (\(migration.name)) differs from the one applied to this database"
                )
            }
        }
    }

    private static func grant(_ migrations: [Migration], to role: String, _ executor: any SQLExecutor) async throws {
        // One transaction: every start re-grants, and other processes serving from the same
        // database must never see a table between its REVOKE and its GRANT (their statements
        // would fail with permission denied). PostgreSQL's GRANT and REVOKE are transactional.
        try await executor.inTransaction { executor in
            try await executor.execute("GRANT USAGE ON SCHEMA public TO \"\(role)\"")
            try await executor.execute("GRANT SELECT ON \(historyTable) TO \"\(role)\"")
            for grant in effectiveGrants(migrations) {
                // Exactly these rights, on every run: whatever else was granted by hand is taken back.
                try await executor.execute("REVOKE ALL ON \(grant.table) FROM \"\(role)\"")
                try await executor.execute("GRANT \(grant.privileges) ON \(grant.table) TO \"\(role)\"")
            }
        }
    }

    /// Each table's grant from the latest migration that names it: a later migration narrows
    /// (or widens) what an earlier one granted, and the service role never holds the earlier
    /// rights, not even between two statements of a run. In order of first appearance.
    static func effectiveGrants(_ migrations: [Migration]) -> [Migration.Grant] {
        var latest: [String: Migration.Grant] = [:]
        var order: [String] = []
        for grant in migrations.flatMap(\.grants) {
            if latest.updateValue(grant, forKey: grant.table) == nil { order.append(grant.table) }
        }
        return order.compactMap { latest[$0] }
    }

    /// Role names go into GRANT statements, which take no bind parameters.
    static func checkRoleName(_ role: String) throws {
        guard !role.isEmpty, role.count <= 63,
            role.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" })
        else {
            throw StorageError.configuration("the service role name may contain only letters, digits and '_'")
        }
    }

    private static func nowMicroseconds() -> Int64 {
        SystemClock().now().microsecondsSinceEpoch
    }
}
