import Audit
import Logging
import ServiceLifecycle
import Storage

/// Appends the outbox to the chain every `interval`, all of it in one unit of work (one
/// chain lock), and once more at a graceful shutdown. A flush that fails puts its events
/// back for the next one.
struct AuditOutboxFlusher: Service {
    let outbox: AuditOutbox
    let persistence: Persistence
    let logger: Logger
    var interval: Duration = .milliseconds(200)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await flush()
                try? await Task.sleep(for: interval)
            }
        }
        await flush()
    }

    /// Writes what is queued; answers how many events went to the chain.
    @discardableResult
    func flush() async -> Int {
        let taken = outbox.drain()
        guard !taken.isEmpty else { return 0 }
        let events = taken.records
        do {
            try await persistence.write { work in
                for event in events { work.record(event) }
            }
            return events.count
        } catch {
            outbox.restore(taken)
            logger.warning(
                "audit outbox flush failed; will retry", metadata: ["events": "\(events.count)", "error_type": "\(type(of: error))"]
            )
            return 0
        }
    }
}
