import Audit
import StrongroomKernel

/// The audit chain's table: appended to inside a unit of work (never updated, never
/// deleted: the grants and triggers of migration 3 refuse both; migration 5's trigger refuses
/// a record that does not link to its predecessor), read in `seq` order.
public struct AuditRecords: Sendable {
    /// Names Strongroom's chain lock among PostgreSQL advisory locks ("AUDIT").
    static let chainLockKey: Int64 = 0x41_5544_4954
    /// Rows per INSERT: 12 binds each stays far below both backends' bind limits.
    static let rowsPerInsert = 500
    static let columns =
        "seq, recorded_at, actor_kind, actor_id, actor_address, action, resource, outcome, request_id, summary, prev_hash, hash"

    let executor: any SQLExecutor

    /// Appends `events` after the current head, as one run of records. Takes the chain lock
    /// first (PostgreSQL; SQLite's writer already excludes every other), which the commit
    /// releases, unless `chainLocked` says this transaction holds it already (the outbox
    /// step took it): call it once per unit of work, as its last statement before `COMMIT`.
    @discardableResult
    func append(_ events: [AuditEvent], at time: Timestamp, chainLocked: Bool = false) async throws -> [AuditRecord] {
        guard !events.isEmpty else { return [] }
        if executor.dialect == .postgres && !chainLocked {
            _ = try await executor.queryReused("SELECT pg_advisory_xact_lock($1) IS NULL", [.int(Self.chainLockKey)])
        }
        let records = AuditChain.extend(try await head() ?? .genesis, with: events, at: time)
        try await executor.insertRows(
            into: "audit_events", columns: Self.columns, columnCount: 12, records, rowsPerStatement: Self.rowsPerInsert
        ) { record in
            [
                .int(record.seq), .int(record.time.microsecondsSinceEpoch), .text(record.actorKind), .text(record.actorID),
                record.actorAddress.map(SQLValue.text) ?? .null, .text(record.action), .text(record.resource),
                .text(record.outcome), .text(record.requestID), .text(record.summary), .text(record.prevHash),
                .text(record.hash),
            ]
        }
        return records
    }

    /// The last record's place, or nil for an empty chain.
    public func head() async throws -> AuditChainHead? {
        // Unnamed, planned each time: a statement without parameters would keep the plan it
        // was first given, made while the chain was short (`PostgresPreparedStatements`).
        try await executor.queryOne("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").map {
            AuditChainHead(seq: try $0.int("seq"), hash: try $0.text("hash"))
        }
    }

    /// Records after `afterSeq` matching the query, ascending.
    public func page(_ query: AuditQuery) async throws -> [AuditRecord] {
        var conditions = ["seq > $1"]
        var binds: [SQLValue] = [.int(query.afterSeq)]
        func add(_ column: String, _ op: String, _ value: SQLValue?) {
            guard let value else { return }
            binds.append(value)
            conditions.append("\(column) \(op) $\(binds.count)")
        }
        add("actor_id", "=", query.actorID.map(SQLValue.text))
        add("action", "=", query.action.map(SQLValue.text))
        add("resource", "=", query.resource.map(SQLValue.text))
        add("outcome", "=", query.outcome.map(SQLValue.text))
        if !query.actions.isEmpty {
            let first = binds.count + 1
            binds += query.actions.map(SQLValue.text)
            conditions.append("action IN (\((first..<(first + query.actions.count)).map { "$\($0)" }.joined(separator: ", ")))")
        }
        // A summary is canonical JSON (`AuditSummary`): the pair appears quoted exactly so
        // only as its own member, since a quote inside a value is escaped. LIKE's own
        // wildcards in it are escaped.
        add("summary", "LIKE", query.organizationID.map { .text("%" + Self.likeEscaped("\"organization_id\":\"\($0)\"") + "%") })
        if query.organizationID != nil { conditions[conditions.count - 1] += " ESCAPE '\\'" }
        add("recorded_at", ">=", query.from.map { .int($0.microsecondsSinceEpoch) })
        add("recorded_at", "<", query.to.map { .int($0.microsecondsSinceEpoch) })
        let limit = max(1, min(query.limit, AuditQuery.maxLimit))
        return try await executor.query(
            "SELECT \(Self.columns) FROM audit_events WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT \(limit)", binds
        ).map(Self.record)
    }

    /// `text` with LIKE's wildcards and its escape character escaped by `\`.
    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// Hands the records after `afterSeq` (through `lastSeq`, when given) to `body` in
    /// ascending pages of `pageSize`, until they run out or `body` answers false: how
    /// verification, checkpointing and export read the chain without holding it in memory.
    public func scan(
        after afterSeq: Int64, through lastSeq: Int64? = nil, pageSize: Int = 1_000,
        _ body: ([AuditRecord]) async throws -> Bool
    ) async throws {
        var after = afterSeq
        while lastSeq.map({ after < $0 }) ?? true {
            var page = try await records(after: after, limit: pageSize)
            if let lastSeq { page.removeAll { $0.seq > lastSeq } }
            guard let last = page.last, try await body(page) else { return }
            after = last.seq
        }
    }

    /// The records after `afterSeq`, ascending, `limit` at a time.
    public func records(after afterSeq: Int64, limit: Int) async throws -> [AuditRecord] {
        try await executor.query(
            "SELECT \(Self.columns) FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT \(max(1, limit))", [.int(afterSeq)]
        ).map(Self.record)
    }

    /// The record with this `seq`, if stored.
    public func record(seq: Int64) async throws -> AuditRecord? {
        try await executor.queryOne("SELECT \(Self.columns) FROM audit_events WHERE seq = $1", [.int(seq)]).map(Self.record)
    }

    private static func record(_ row: SQLRow) throws -> AuditRecord {
        AuditRecord(
            seq: try row.int("seq"), time: Timestamp(microsecondsSinceEpoch: try row.int("recorded_at")),
            actorKind: try row.text("actor_kind"), actorID: try row.text("actor_id"), actorAddress: try row.optionalText("actor_address"),
            action: try row.text("action"), resource: try row.text("resource"), outcome: try row.text("outcome"),
            requestID: try row.text("request_id"), summary: try row.text("summary"), prevHash: try row.text("prev_hash"),
            hash: try row.text("hash")
        )
    }
}
