import Foundation
import Logging
import Testing

@testable import Storage

/// A database that cannot be reached is an answer, not a wait: every statement fails with
/// `StorageError.unavailable` (503 to a client) once the lease deadline passes, however long
/// the connection pool itself would keep queueing. scripts/db-fault-test proves the same
/// against a real database restarted under load.
@Suite("Unreachable database")
struct UnreachableDatabaseTests {
    /// A loopback port nothing listens on: bound, then closed.
    static func closedPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(socket, raw, length) == 0, getsockname(socket, raw, &length) == 0 else { throw POSIXError(.EADDRINUSE) }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func statementsFailAsUnavailableWithinTheLeaseDeadline() async throws {
        let target = DatabaseURL.PostgresTarget(
            host: "127.0.0.1", port: try Self.closedPort(), username: "nobody", password: nil, database: "none", requireTLS: false
        )
        var logger = Logger(label: "test")
        logger.logLevel = .critical  // the pool logs every refused connection
        let database = try await PostgresDatabase.open(target: target, maximumConnections: 2, logger: logger)
        let started = ContinuousClock.now
        await #expect {
            try await database.transaction { executor in try await executor.execute("SELECT 1") }
        } throws: { error in
            (error as? StorageError)?.isUnavailable == true
        }
        await #expect {
            try await database.direct.queryOne("SELECT 1 AS one")
        } throws: { error in
            (error as? StorageError)?.isUnavailable == true
        }
        #expect(await database.ping() == false)
        // Three statements, each bounded by the lease deadline (3 s), not by the pool's
        // circuit breaker (a minute). About 9 s on a quiet machine; one with half a core of
        // steal took 15.4 s, so the bound sits between that and the breaker's minute.
        #expect(ContinuousClock.now - started < .seconds(30))
        await database.close()
    }
}
