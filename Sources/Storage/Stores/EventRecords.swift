import Bookkeeping
import Events
import StrongroomKernel

/// The events outbox (migration 12, `EventSchema`): appended to by the unit of work of each
/// change, read in `seq` order by the pull API, and emptied from the oldest end by the
/// retention sweep. Rows never change.
///
/// **Why a reader paging by `seq > cursor` never skips a row.** On PostgreSQL numbers from
/// an identity column are handed out when a row is inserted but become visible when its
/// transaction commits, and two transactions could commit in the other order: a reader
/// would page past 8 while 7 is still to commit, and never see 7. So `append` first takes
/// the audit chain's advisory lock (`AuditRecords.chainLockKey`), which the unit of work
/// holds through its audit append until its `COMMIT` ends, and only then inserts. Every
/// unit of work that writes events takes that lock before drawing numbers and releases it
/// after it is visible, so numbers are drawn in commit order: when a reader sees `seq` n,
/// every smaller number is committed or was never used (a rolled-back unit of work leaves
/// a gap, which the cursor passes over). SQLite has one writer, which already orders both.
public struct EventRecords: Sendable {
    /// Rows per INSERT on SQLite: 8 binds each, 4,000 a statement, far below its bind
    /// limit, so a flush of 256 postings is one INSERT (PostgreSQL's is one at any size).
    static let rowsPerInsert = 500
    static let columns = "event_id, type, schema_version, occurred_at, organization_id, ledger_id, ordering_key, body"
    /// The most one page may carry (the pull API's upper bound for `limit`).
    public static let maxPage = 1_000

    let executor: any SQLExecutor

    /// Appends `events` in one statement after taking the chain lock (PostgreSQL), which the
    /// commit releases. `Persistence.write` calls it once per unit of work, before the audit
    /// append, which then finds the lock already held.
    func append(_ events: [EventEnvelope]) async throws {
        guard !events.isEmpty else { return }
        if executor.dialect == .postgres {
            _ = try await executor.queryReused("SELECT pg_advisory_xact_lock($1) IS NULL", [.int(AuditRecords.chainLockKey)])
        }
        try await executor.insertRows(
            into: "events", columns: Self.columns, columnCount: 8, events, rowsPerStatement: Self.rowsPerInsert
        ) { event in
            [
                .text(event.id), .text(event.type.rawValue), .int(Int64(clamping: event.schemaVersion)), .int(event.time.microsecondsSinceEpoch),
                .optional(event.organizationID), .optional(event.ledgerID), .optional(event.orderingKey),
                .text(String(decoding: event.body, as: UTF8.self)),
            ]
        }
    }

    /// The events after `cursor` that `scope` reaches, ascending, at most `limit` (clamped to
    /// 1…`maxPage`), then the sweep's horizon: read in that order, so a sweep that deleted
    /// events of this page's range before the page was read is seen (`EventPage.missesEvents`).
    public func page(after cursor: Int64, scope: EventReadScope, limit: Int) async throws -> EventPage {
        let limit = max(1, min(limit, Self.maxPage))
        var events: [StoredEvent] = []
        if !scope.isEmpty {
            var binds: [SQLValue] = [.int(cursor)]
            var filter = ""
            if let organizations = scope.organizations {
                var alternatives: [String] = []
                for organization in organizations.sorted() {
                    binds.append(.text(organization))
                    alternatives.append("organization_id = $\(binds.count)")
                }
                for ledger in scope.ledgers.sorted(by: { ($0.organizationID, $0.ledgerID) < ($1.organizationID, $1.ledgerID) }) {
                    binds += [.text(ledger.organizationID), .text(ledger.ledgerID)]
                    alternatives.append("(organization_id = $\(binds.count - 1) AND ledger_id = $\(binds.count))")
                }
                filter = " AND (\(alternatives.joined(separator: " OR ")))"
            }
            events = try await executor.query(
                "SELECT seq, \(Self.columns) FROM events WHERE seq > $1\(filter) ORDER BY seq LIMIT \(limit)", binds
            ).map(Self.event)
        }
        return EventPage(events: events, purgedThrough: try await purgedThrough())
    }

    /// The highest `seq` the retention sweep has deleted through; 0 before any sweep.
    public func purgedThrough() async throws -> Int64 {
        guard let row = try await executor.queryOne("SELECT purged_through FROM event_horizon WHERE id = 1") else {
            throw StorageError.decoding("event_horizon has no row")
        }
        return try row.int("purged_through")
    }

    /// The oldest event still kept, or nil when there is none.
    public func oldestRetained() async throws -> Int64? {
        guard let row = try await executor.queryOne("SELECT MIN(seq) AS oldest FROM events"), !(try row.isNull("oldest")) else {
            return nil
        }
        return try row.int("oldest")
    }

    /// Deletes, oldest first, the events written before `cutoff`, at most `batch` of them,
    /// and moves the horizon past them; answers how many went. Run it in a unit of work, so
    /// the rows and the horizon move together. Only a prefix of the stream is deleted: among
    /// the oldest `batch` events, everything through the last one older than the cutoff (an
    /// event stamped later by a process whose clock ran behind goes with its neighbours), so
    /// the retained events are always every event after the horizon.
    public func sweep(before cutoff: Timestamp, batch: Int) async throws -> Int {
        let row = try await executor.queryOne(
            """
            SELECT MAX(seq) AS through FROM (SELECT seq, occurred_at FROM events ORDER BY seq LIMIT \(max(1, batch))) AS oldest \
            WHERE occurred_at < $1
            """,
            [.int(cutoff.microsecondsSinceEpoch)]
        )
        guard let row, !(try row.isNull("through")) else { return 0 }
        let through = try row.int("through")
        let deleted = try await executor.query("DELETE FROM events WHERE seq <= $1 RETURNING seq", [.int(through)]).count
        try await executor.execute(
            "UPDATE event_horizon SET purged_through = $1 WHERE id = 1 AND purged_through < $1", [.int(through)]
        )
        return deleted
    }

    private static func event(_ row: SQLRow) throws -> StoredEvent {
        let typeName = try row.text("type")
        guard let type = EventType(rawValue: typeName) else { throw StorageError.decoding("unknown event type \(typeName)") }
        let version = try row.int("schema_version")
        do {
            let envelope = try EventEnvelope(
                id: try row.text("event_id"), type: type, schemaVersion: Int(clamping: version),
                time: Timestamp(microsecondsSinceEpoch: try row.int("occurred_at")), organizationID: try row.optionalText("organization_id"),
                ledgerID: try row.optionalText("ledger_id"), orderingKey: try row.optionalText("ordering_key"),
                body: Array(try row.text("body").utf8)
            )
            return StoredEvent(seq: try row.int("seq"), envelope: envelope)
        } catch let error as EventEnvelopeError {
            throw StorageError.decoding("stored event is not a valid envelope: \(error)")
        }
    }
}
