import Logging
import NIOSSL
import PostgresNIO
import StrongroomKernel

/// The shared backend: a `PostgresClient` pool, so that several `strongroom` processes can
/// serve one database. All state that must be shared lives in it.
public final class PostgresDatabase: SQLDatabase {
    public static let maxTransactionAttempts = 8
    /// An arbitrary constant naming Strongroom's migration lock among advisory locks.
    static let migrationLockKey: Int64 = 0x5354_524f_4e47  // "STRONG"

    /// How long a request waits for a pooled connection before the database counts as
    /// unreachable. The pool alone would queue a request for as long as it keeps failing to
    /// connect (a minute before its circuit breaker opens); a client must hear 503 sooner.
    public static let defaultLeaseTimeout = Duration.seconds(3)

    /// How long an operator's one-shot command (`audit verify`, `keys rotate`) waits for a
    /// connection. No client is waiting to hear 503, so a busy database should delay the
    /// command rather than fail it; a database that is down still fails it, in half a minute.
    public static let commandLeaseTimeout = Duration.seconds(30)

    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    private let leaseTimeout: Duration
    private let pool: ConnectionPoolMeter
    private let statements = PostgresPreparedStatements()
    public let direct: any SQLExecutor

    public var dialect: SQLDialect { .postgres }

    public var connectionPoolUse: ConnectionPoolUse { pool.use }

    /// Connects lazily: the pool opens connections as queries need them. Returns once the
    /// client's run loop has started, so no query is queued before it. `observer` is told how
    /// long each lease waited for its connection.
    public static func open(
        target: DatabaseURL.PostgresTarget, maximumConnections: Int, logger: Logger, leaseTimeout: Duration = defaultLeaseTimeout,
        observer: ConnectionPoolObserver? = nil
    ) async throws -> PostgresDatabase {
        let database = try PostgresDatabase(
            target: target, maximumConnections: maximumConnections, logger: logger, leaseTimeout: leaseTimeout, observer: observer
        )
        for await _ in database.started {}
        return database
    }

    private let started: AsyncStream<Void>

    private init(
        target: DatabaseURL.PostgresTarget, maximumConnections: Int, logger: Logger, leaseTimeout: Duration, observer: ConnectionPoolObserver?
    ) throws {
        var configuration = PostgresClient.Configuration(
            host: target.host, port: target.port, username: target.username, password: target.password?.revealed,
            database: target.database,
            tls: target.requireTLS ? .require(TLSConfiguration.makeClientConfiguration()) : .disable
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(3)
        // Prepared statements (`PostgresPreparedStatements`) keep their parse; the plan is
        // made afresh each run, from the tables as they are then. A generic plan made once
        // would be made while a new ledger's tables are nearly empty (statistics lag until
        // autovacuum's first ANALYZE) and kept: on a ledger just loaded with 10,000 accounts
        // that plan scanned every account for each balance (120 ms a flush instead of 0.1).
        configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_custom_plan")]
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.leaseTimeout = leaseTimeout
        let pool = ConnectionPoolMeter(maximum: maximumConnections, alwaysOpen: false, observer: observer)
        self.pool = pool
        // The client is a service: its queries hang unless it runs. It runs for as long as
        // this database object is open.
        let (started, signal) = AsyncStream<Void>.makeStream()
        self.started = started
        self.runner = Task {
            signal.finish()
            await client.run()
        }
        self.direct = ClientExecutor(client: client, logger: logger, leaseTimeout: leaseTimeout, pool: pool, statements: statements)
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await runTransaction(body)
            } catch {
                let state = PostgresErrors.sqlState(error)
                guard state == PostgresErrors.serializationFailure || state == PostgresErrors.deadlockDetected,
                    attempt < Self.maxTransactionAttempts
                else { throw error }
                // Jittered, growing back-off so that racing transactions stop colliding.
                let ceiling = UInt64(1 << min(attempt, 6)) * 1_000_000
                try await Task.sleep(nanoseconds: UInt64.random(in: 0...ceiling))
                attempt += 1
            }
        }
    }

    private func runTransaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        // The lease runs `body` in a child task that ends before this returns.
        try await withoutActuallyEscaping(body) { body in
            try await client.withLeasedConnection(within: leaseTimeout, meter: pool) { [logger, statements] connection in
                try await PostgresExecutor(connection: connection, logger: logger, statements: statements).inTransaction(body)
            }
        }
    }

    public func withMigrationLock<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { body in try await withMigrationLock(escaping: body) }
    }

    private func withMigrationLock<T: Sendable>(escaping body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await client.withLeasedConnection(within: leaseTimeout, meter: pool) { [logger, statements] connection in
            let executor = PostgresExecutor(connection: connection, logger: logger, statements: statements)
            // A session-level advisory lock: a second process starting at the same moment
            // waits here, then finds the migrations applied.
            try await executor.execute("SELECT pg_advisory_lock($1)", [.int(Self.migrationLockKey)])
            do {
                let result = try await body(executor)
                try await executor.execute("SELECT pg_advisory_unlock($1)", [.int(Self.migrationLockKey)])
                return result
            } catch {
                _ = try? await executor.execute("SELECT pg_advisory_unlock($1)", [.int(Self.migrationLockKey)])
                throw error
            }
        }
    }

    /// Nothing the service role can do: a dead row's bytes stay in the table's pages until
    /// a VACUUM reclaims them, which needs the table's owner (SECURITY.md says what an
    /// operator runs after an erasure).
    public func discardDeletedResidue() async throws -> Bool { true }

    public func ping() async -> Bool {
        (try? await direct.queryOne("SELECT 1 AS one")) != nil
    }

    public func close() async {
        runner.cancel()
        await runner.value
    }
}

/// Runs each statement on whichever pooled connection is free.
private struct ClientExecutor: SQLExecutor {
    let client: PostgresClient
    let logger: Logger
    let leaseTimeout: Duration
    let pool: ConnectionPoolMeter
    let statements: PostgresPreparedStatements

    var dialect: SQLDialect { .postgres }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await client.withLeasedConnection(within: leaseTimeout, meter: pool) { [logger, statements] connection in
            try await PostgresExecutor(connection: connection, logger: logger, statements: statements).query(sql, binds)
        }
    }

    func queryReused(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await client.withLeasedConnection(within: leaseTimeout, meter: pool) { [logger, statements] connection in
            try await PostgresExecutor(connection: connection, logger: logger, statements: statements).queryReused(sql, binds)
        }
    }
}
