import Storage
import StrongroomTestSupport
import Synchronization
import Testing

/// What a database tells the server's pool metrics: every lease's wait for its connection,
/// once, and how many connections are lent out at a moment, on both backends.
@Suite("Connection pool observer")
struct ConnectionPoolObserverTests {
    /// The waits a database reported.
    final class Waits: Sendable {
        private let waits = Mutex<[Duration]>([])
        var all: [Duration] { waits.withLock { $0 } }
        var observer: ConnectionPoolObserver { ConnectionPoolObserver { wait in self.waits.withLock { $0.append(wait) } } }
    }

    static func with(
        _ backend: TestBackend, maximumConnections: Int, _ body: (any SQLDatabase, Waits) async throws -> Void
    ) async throws {
        let scratch = try await TestDatabase.create(backend)
        let waits = Waits()
        do {
            let database = try await Persistence.open(
                scratch.serviceURL, maximumConnections: maximumConnections, logger: TestDatabase.logger,
                postgresLeaseTimeout: TestDatabase.leaseTimeout, poolObserver: waits.observer
            )
            do {
                try await body(database, waits)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
        } catch {
            await scratch.destroy()
            throw error
        }
        await scratch.destroy()
    }

    @Test(arguments: TestBackend.available)
    func eachLeaseReportsItsWaitAndCountsAsUsedWhileHeld(backend: TestBackend) async throws {
        try await Self.with(backend, maximumConnections: 4) { database, waits in
            let idle = ConnectionPoolUse(used: 0, idle: backend == .sqlite ? 1 : nil, maximum: backend == .sqlite ? 1 : 4)
            #expect(database.connectionPoolUse == idle)
            for _ in 0..<5 {
                let during = try await database.transaction { executor in
                    _ = try await executor.queryOne("SELECT 1 AS one")
                    return database.connectionPoolUse
                }
                #expect(during == ConnectionPoolUse(used: 1, idle: backend == .sqlite ? 0 : nil, maximum: idle.maximum))
            }
            #expect(database.connectionPoolUse == idle)
            // PostgreSQL's reads lease a pooled connection each; SQLite's readers are no pool.
            for _ in 0..<3 { _ = try await database.direct.queryOne("SELECT 1 AS one") }
            #expect(waits.all.count == (backend == .sqlite ? 5 : 8))
            #expect(waits.all.allSatisfy { $0 >= .zero && $0 < .seconds(30) })
            #expect(database.connectionPoolUse == idle)
        }
    }

    /// With one connection held, the next caller's reported wait is the time it was held.
    ///
    /// The holder lets go a second after the next caller says it is about to ask, not a fixed
    /// time after it took the connection: in the full suite on two cores the test's own task
    /// once took longer than a 300 ms hold to get from "held" to asking, and so waited 5 µs.
    @Test(arguments: TestBackend.available)
    func aCallerWaitingForTheOnlyConnectionReportsTheWait(backend: TestBackend) async throws {
        try await Self.with(backend, maximumConnections: 1) { database, waits in
            let (holding, held) = AsyncStream<Void>.makeStream()
            let (asking, ask) = AsyncStream<Void>.makeStream()
            async let first: Void = database.transaction { executor in
                _ = try await executor.queryOne("SELECT 1 AS one")
                held.yield()
                for await _ in asking { break }
                try await Task.sleep(for: .seconds(1))
            }
            for await _ in holding { break }
            let before = waits.all.count
            ask.yield()
            try await database.transaction { executor in _ = try await executor.queryOne("SELECT 1 AS one") }
            try await first
            let waited = waits.all
            #expect(waited.count == before + 1)
            #expect(waited.max() ?? .zero >= .milliseconds(200), "\(waited)")
        }
    }
}
