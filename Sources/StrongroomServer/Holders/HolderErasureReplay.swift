import Audit
import Holders
import Logging
import Storage
import StrongroomEdge
import StrongroomKernel

/// At start, before the server serves a request: erases again every holder the erasure
/// record (`HolderErasureLog`) names whose wrapped data key the database still holds, which
/// happens only when the database was restored from a copy taken before the erasure. Each
/// re-application is audited (`holder.erase.reapplied`, by the system) and logged loudly;
/// a record that does not verify stops the start, since which erasures it holds can no
/// longer be trusted.
struct HolderErasureReplay {
    static let action = "holder.erase.reapplied"
    /// Holders erased again per unit of work.
    static let batchSize = 100

    let log: HolderErasureLog
    let persistence: Persistence
    let logger: Logger

    /// Answers the erasures applied again, in record order.
    @discardableResult
    func run() async throws -> [HolderErasureEntry] {
        let record: HolderErasureRecord
        do {
            record = try log.read()
        } catch let error as HolderErasureRecordError {
            throw ConfigurationError(
                "the erasure record \(log.path) cannot be trusted: \(error). Refusing to start: restore the record from its own "
                    + "backup (never from the database's), or find out who changed it; starting without it could serve the "
                    + "personal data of holders who were erased"
            )
        }
        if record.tornTailBytes > 0 {
            logger.warning(
                "the erasure record ends in a line a crash cut short; it was never acknowledged, and the next erasure cuts it off",
                metadata: ["path": "\(log.path)", "bytes": "\(record.tornTailBytes)"]
            )
        }
        let pending = record.toReapply(stillKeyed: try await persistence.holders.stillKeyed(among: record.subjects))
        guard !pending.isEmpty else { return [] }
        logger.critical(
            "the database still holds the data keys of holders the erasure record says were erased (it was restored from a copy taken before their erasure): erasing them again before serving",
            metadata: ["count": "\(pending.count)", "holders": "\(pending.map(\.holderID).joined(separator: ","))"]
        )
        var start = pending.startIndex
        while start < pending.endIndex {
            let batch = Array(pending[start..<min(start + Self.batchSize, pending.endIndex)])
            try await persistence.write { work in
                for entry in batch {
                    // At the recorded time: the holder was erased then, and only the copy forgot.
                    guard try await work.holders.erase(id: entry.holderID, organizationID: entry.organizationID, at: entry.erasedAt) else {
                        continue
                    }
                    work.record(AuditEvent(
                        action: Self.action, resource: HolderErasureRoutes.resource(entry.holderID), outcome: .success, actor: .system,
                        requestID: "startup",
                        summary: ["organization_id": .text(entry.organizationID), "erased_at": .text(RFC3339.format(entry.erasedAt))]
                    ))
                }
            }
            start += batch.count
        }
        if try await !persistence.database.discardDeletedResidue() {
            logger.warning("the write-ahead log could not be truncated after the erasures; old copies of pages stay in it until the next erasure truncates it or the server stops and removes it")
        }
        logger.notice("erasures re-applied from the erasure record", metadata: ["count": "\(pending.count)"])
        return pending
    }
}
