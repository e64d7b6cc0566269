import PostgresNIO
import Synchronization
import _ConnectionPoolModule

extension PostgresClient {
    /// Runs `body` on a pooled connection, waiting at most `timeout` for one, with the
    /// driver's and the pool's failures translated (`PostgresErrors.translate`): a database
    /// that is down or restarting surfaces as `StorageError.unavailable`, never as a hang.
    /// Only the wait is bounded: once `body` holds a connection it runs to its end. `meter`
    /// counts the connection as used while `body` holds it, and hears how long the wait was.
    func withLeasedConnection<T: Sendable>(
        within timeout: Duration, meter: ConnectionPoolMeter, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let lease = LeaseState()
        let asked = meter.asking()
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await self.withConnection { connection in
                        lease.started.store(true, ordering: .relaxed)
                        meter.granted(askedAt: asked)
                        defer { meter.released() }
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                // The timer yields nil; `body`'s task yields its value wrapped (even a nil one).
                while let outcome = try await group.next() {
                    if let value = outcome {
                        group.cancelAll()
                        return value
                    }
                    if !lease.started.load(ordering: .relaxed) {
                        group.cancelAll()  // withdraws the waiting lease request
                        throw StorageError.unavailable("no database connection within \(timeout)")
                    }
                }
                throw StorageError.unavailable("the database connection ended without an answer")
            }
        } catch let error as PSQLError {
            throw PostgresErrors.translate(error)
        } catch let error as ConnectionPoolError {
            // The pool gave up connecting (circuit breaker) or is shutting down.
            throw StorageError.unavailable("the connection pool failed: \(error)")
        }
    }
}

/// Whether a lease was granted, shared between the body's task and the timer's verdict.
private final class LeaseState: Sendable {
    let started = Atomic<Bool>(false)
}
