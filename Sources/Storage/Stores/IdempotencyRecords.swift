import StrongroomKernel

/// A stored response to an idempotent request.
public struct IdempotencyRecord: Sendable, Equatable {
    public let scope: String
    public let requestHash: String
    public let status: Int
    public let body: [UInt8]
    public let expiresAt: Timestamp

    public init(scope: String, requestHash: String, status: Int, body: [UInt8], expiresAt: Timestamp) {
        self.scope = scope
        self.requestHash = requestHash
        self.status = status
        self.body = body
        self.expiresAt = expiresAt
    }
}

/// The idempotency table: read directly, written inside the unit of work of the effect (a
/// 2xx) or in a small transaction of its own (a 4xx).
public struct IdempotencyRecords: Sendable {
    let executor: any SQLExecutor

    /// The live record of `scope`, if any.
    public func find(scope: String, now: Timestamp) async throws -> IdempotencyRecord? {
        try await executor.queryReused(
            "SELECT scope, request_hash, status, body, expires_at FROM ledger_idempotency WHERE scope = $1 AND expires_at > $2",
            [.text(scope), .time(now)]
        ).first.map {
            IdempotencyRecord(
                scope: try $0.text("scope"), requestHash: try $0.text("request_hash"), status: Int(try $0.int("status")),
                body: try $0.bytes("body"), expiresAt: try $0.timestamp("expires_at")
            )
        }
    }

    /// Inserts the records; an expired one under the same scope is replaced. Throws
    /// `UniqueViolation` when a live one exists (another request won the race). One DELETE
    /// and one multi-row INSERT per chunk, however many records a batch stores.
    public func insert(_ records: [IdempotencyRecord], now: Timestamp) async throws {
        for run in SQLBulk.runs(records, of: SQLBulk.maxBinds / 6) {
            try await executor.execute(
                "DELETE FROM ledger_idempotency WHERE expires_at <= $1 AND scope IN (\(SQLBulk.placeholders(run.count, from: 2)))",
                [.time(now)] + run.map { .text($0.scope) }
            )
            try await executor.insertRows(
                into: "ledger_idempotency", columns: "scope, request_hash, status, body, created_at, expires_at", columnCount: 6, Array(run)
            ) { record in
                [.text(record.scope), .text(record.requestHash), .int(Int64(record.status)), .bytes(record.body), .time(now), .time(record.expiresAt)]
            }
        }
    }

    /// Removes expired records, at most `limit` at a time; answers how many went.
    @discardableResult
    public func sweep(now: Timestamp, limit: Int) async throws -> Int {
        try await executor.query(
            "DELETE FROM ledger_idempotency WHERE scope IN (SELECT scope FROM ledger_idempotency WHERE expires_at <= $1 LIMIT \(limit)) RETURNING scope",
            [.time(now)]
        ).count
    }
}
