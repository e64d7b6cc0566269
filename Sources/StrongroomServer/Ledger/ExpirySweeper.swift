import Audit
import Bookkeeping
import Identity
import Logging
import ServiceLifecycle
import Storage
import StrongroomKernel

/// Cancels pending transactions whose `pendingExpiresAt` has passed, and removes expired
/// idempotency records, identity state whose time is over (login counters, known
/// sources, revoked access tokens, refresh-token families) and events past the retention. Runs in every process: the cancel goes through the posting path,
/// whose lock on the transaction row lets exactly one process cancel each one, and
/// because it reads what is due from the database it picks up after a restart.
struct ExpirySweeper: Service {
    let persistence: Persistence
    let engine: PostingEngine
    let clock: any WallClock
    let logger: Logger
    var intervalSeconds: Int64 = 1
    /// How long the events outbox keeps an event (`eventRetention`).
    var eventRetentionSeconds: Int64 = 7 * 86_400

    /// How many pending transactions one sweep cancels at most (each in its own unit of work).
    static let batch = 100

    func run() async throws {
        var sweeps = 0
        await PeriodicSweep.run(every: intervalSeconds, logger: logger, failure: "expiry sweep failed; will retry") {
            try await sweepExpiredTransactions(now: clock.now())
            sweeps += 1
            if sweeps % 60 == 0 {
                let now = clock.now()
                _ = try await persistence.write { work in
                    try await work.identity.pruneExpired(at: now)
                    return try await work.idempotency.sweep(now: now, limit: 10_000)
                }
                try await sweepEvents(now: now)
            }
        }
    }

    /// Deletes the events older than the retention, oldest first, `eventBatch` per unit of
    /// work until none is left; answers how many went.
    @discardableResult
    func sweepEvents(now: Timestamp) async throws -> Int {
        let cutoff = now.adding(seconds: -eventRetentionSeconds)
        var deleted = 0
        while true {
            let batch = try await persistence.write { work in try await work.eventRecords.sweep(before: cutoff, batch: Self.eventBatch) }
            deleted += batch
            if batch < Self.eventBatch { return deleted }
        }
    }

    /// How many events one unit of work of the retention sweep deletes at most.
    static let eventBatch = 10_000

    /// Cancels what is due at `now`; answers how many this process cancelled.
    @discardableResult
    func sweepExpiredTransactions(now: Timestamp) async throws -> Int {
        var cancelled = 0
        for (ledger, id) in try await persistence.ledger.dueExpiries(now: now, limit: Self.batch) {
            let outcome = try await persistence.write { work in
                let outcome = try await engine.run([.cancel(transactionID: id, ledger: ledger, reason: .expired)], store: work.ledger)[0]
                if case .success(let cancelled) = outcome {
                    work.emit([try LedgerEvents.transaction(.cancel(transactionID: id, ledger: ledger, reason: .expired), cancelled)])
                    work.record(AuditEvent(
                        action: "transaction.expire", resource: "transaction:\(id)", outcome: .success, actor: .system,
                        requestID: "expiry-sweep", summary: ["created": .list(cancelled.operations.map(\.id))]
                    ))
                }
                return outcome
            }
            // Another process (or a commit or cancel) got there first: nothing to do.
            if case .success = outcome { cancelled += 1 }
        }
        return cancelled
    }
}
