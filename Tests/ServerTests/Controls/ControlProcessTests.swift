import Foundation
import HTTPTypes
import HummingbirdTesting
import Storage
import Synchronization
import StrongroomTestSupport
import Testing

/// A freeze made through one `strongroom` process holds for the postings of another on the
/// same PostgreSQL database, with nothing cached between them: while one process streams
/// transfers out of an account, the other freezes it, and no transfer commits after the
/// freeze (the audit chain's order is the commit order: each unit of work appends under the
/// chain's lock, held until it commits); the first transfer after it is refused SR-3001.
@Suite("Controls across processes", .serialized)
struct ControlProcessTests {
    typealias Connection = LedgerProcessTests.Connection

    @Test(.enabled(if: TestBackend.available.contains(.postgres)))
    func aFreezeMadeInOneProcessStopsTheOthersPostingsAtItsCommit() async throws {
        let database = try await TestDatabase.create(.postgres)
        do {
            try await race(on: database)
            try await checkTheOrder(in: database)
        } catch {
            await database.destroy()
            throw error
        }
        await database.destroy()
    }

    private func race(on database: TestDatabase) async throws {
        let directory = try ServerProcessTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = try LedgerProcessTests.environment(for: database, patientHeaders: true)
        let arguments = { (name: String) in ["--data-dir", directory + "/" + name, "--log-level", "warning"] }
        try await ServerProcessTests.withServer(arguments: arguments("a"), environment: environment, directory: directory) { freezer in
            try await ServerProcessTests.withServer(arguments: arguments("b"), environment: environment, directory: directory) { poster in
                try await race(freezer: freezer.port, poster: poster.port)
            }.value
        }.value
    }

    /// How many transfers the senders have seen committed.
    private final class Committed: Sendable {
        let count = Mutex(0)
    }

    /// Eight connections to `poster` send transfers of 0.01 out of `@alice` until each has
    /// seen a refusal; a connection to `freezer` freezes `@alice` once they are under way.
    private func race(freezer: Int, poster: Int) async throws {
        let token = try await Connection.steppedUpAdminToken(port: freezer)
        let setup = try await Connection.open(port: freezer, token: token)
        let base = try await setup.books(funding: "1000.00")
        let accounts = try await setup.send(.get, "\(base)/accounts/alias/@alice")
        let alice = try #require((try JSONSerialization.jsonObject(with: accounts.body) as? [String: Any])?["id"] as? String)

        var senders: [Connection] = []
        for _ in 0..<8 { senders.append(try await Connection.open(port: poster, token: token)) }
        // The freeze waits for the first committed transfer rather than a fixed time: on a
        // loaded machine a fixed wait could end before any transfer had committed.
        let committed = Committed()
        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
            for sender in senders {
                group.addTask {
                    var statuses: [Int] = []
                    while statuses.last != 422, statuses.count < 2000 {
                        statuses.append(try await sender.send(.post, "\(base)/transactions/json", LedgerFixture.transfer("@alice", "@bob", "0.01")).status)
                        if statuses.last == 201 { committed.count.withLock { $0 += 1 } }
                    }
                    return statuses
                }
            }
            group.addTask {
                for _ in 0..<3_000 where committed.count.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
                let frozen = try await setup.send(.post, "\(base)/accounts/\(alice)/freeze", #"{"reason":"incident drill"}"#)
                #expect(frozen.status == 200, "\(String(decoding: frozen.body, as: UTF8.self))")
                return []
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(statuses.contains(201), "some transfers went through before the freeze")
        #expect(statuses.allSatisfy { $0 == 201 || $0 == 422 }, "\(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")

        // Made on the other process, the freeze holds for this one at once: no cache.
        let after = try await senders[0].send(.post, "\(base)/transactions/json", LedgerFixture.transfer("@alice", "@bob", "0.01"))
        #expect(after.status == 422)
        #expect((try JSONSerialization.jsonObject(with: after.body) as? [String: Any])?["code"] as? String == "SR-3001")
        for connection in senders + [setup] { try? await connection.client.shutdown() }
    }

    /// In the chain's order, which is the commit order, every transfer that succeeded comes
    /// before the freeze.
    private func checkTheOrder(in database: TestDatabase) async throws {
        let owner = try await Persistence.open(database.ownerURL, maximumConnections: 1, logger: TestDatabase.logger)
        do {
            let freeze = try #require(try await owner.direct.queryOne("SELECT seq FROM audit_events WHERE action = 'account.freeze'", []))
            let lastTransfer = try #require(
                try await owner.direct.queryOne(
                    "SELECT max(seq) AS seq FROM audit_events WHERE action = 'transaction.create' AND outcome = 'success'", []
                )
            )
            #expect(try lastTransfer.int("seq") < freeze.int("seq"), "a transfer committed after the freeze")
            await owner.close()
        } catch {
            await owner.close()
            throw error
        }
    }
}
