import Audit
import Bookkeeping
import Identity
import Logging
import StrongroomKernel

/// The storage facade the server holds: stores for reads, units of work for writes.
/// Nothing above it knows which backend runs.
public final class Persistence: Sendable {
    public let database: any SQLDatabase
    public let migrator: Migrator
    /// Stamps audit records.
    private let clock: any WallClock

    public init(database: any SQLDatabase, clock: any WallClock = SystemClock()) {
        self.database = database
        self.migrator = Migrator()
        self.clock = clock
    }

    /// Identity reads outside any unit of work.
    public var identity: any IdentityStore { SQLIdentityStore(executor: database.direct) }

    /// Ledger reads outside any unit of work.
    public var ledger: any LedgerStore { SQLLedgerStore(executor: database.direct) }

    /// Idempotency reads, and the sweep of expired records.
    public var idempotency: IdempotencyRecords { IdempotencyRecords(executor: database.direct) }

    /// Control rule reads (rules change only through units of work).
    public var controlRules: ControlRuleRecords { ControlRuleRecords(executor: database.direct) }

    /// Holder reads, sealed (a change of a holder's fields or an erasure runs in a unit of work).
    public var holders: HolderRecords { HolderRecords(executor: database.direct) }

    /// Holder alias reads (aliases change only through units of work).
    public var holderAliases: HolderAliasRecords { HolderAliasRecords(executor: database.direct) }

    /// Events outbox reads and the retention sweep (events are written only by units of work).
    public var events: EventRecords { EventRecords(executor: database.direct) }

    /// Audit trail reads (the chain is appended to only through units of work).
    public var audit: AuditRecords { AuditRecords(executor: database.direct) }

    /// Runs `body` as one unit of work. On PostgreSQL the body may run more than once (a
    /// serialization failure retries it), each time on a fresh unit of work.
    ///
    /// The events the work emitted are written to the outbox, then the audit events it
    /// recorded are appended to the audit chain last, in the same transaction: no change
    /// commits without its record and its events, no record or event without its change.
    public func write<T: Sendable>(_ body: @Sendable (UnitOfWork) async throws -> T) async throws -> T {
        let clock = self.clock
        return try await database.transaction { executor in
            let work = UnitOfWork(executor: executor)
            let result = try await body(work)
            let responses = work.storedResponses
            if !responses.isEmpty { try await IdempotencyRecords(executor: executor).insert(responses, now: clock.now()) }
            // The outbox step takes the chain lock before its numbers are drawn (`EventRecords`).
            let emitted = work.emittedEvents
            if !emitted.isEmpty { try await EventRecords(executor: executor).append(emitted) }
            try await AuditRecords(executor: executor).append(work.recordedEvents, at: clock.now(), chainLocked: !emitted.isEmpty)
            return result
        }
    }

    /// Opens the database a URL names. `postgresLeaseTimeout` bounds each wait for a pooled
    /// PostgreSQL connection; only test set-ups that are not about that bound change it.
    /// `poolObserver` hears how long each wait for a connection was (the server's metrics).
    public static func open(
        _ url: DatabaseURL, maximumConnections: Int, logger: Logger,
        postgresLeaseTimeout: Duration = PostgresDatabase.defaultLeaseTimeout, poolObserver: ConnectionPoolObserver? = nil
    ) async throws -> any SQLDatabase {
        switch url {
        case .sqlite(let path):
            return try await SQLiteDatabase.open(path: path, observer: poolObserver)
        case .postgres(let target):
            return try await PostgresDatabase.open(
                target: target, maximumConnections: maximumConnections, logger: logger, leaseTimeout: postgresLeaseTimeout,
                observer: poolObserver
            )
        }
    }

    public func ready() async -> Bool {
        guard await database.ping() else { return false }
        return (try? await migrator.isCurrent(database)) ?? false
    }

    public func close() async {
        await database.close()
    }
}
