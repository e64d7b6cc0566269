import Audit
import Foundation
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// The audit chain on each backend: appended with the unit of work, never rewritten, never
/// forked, and refused by the database itself when anyone tries to change it.
@Suite("Audit store")
struct AuditStoreTests {
    static func event(_ action: String, _ n: Int, actor: String = "u1", outcome: AuditEvent.Outcome = .success) -> AuditEvent {
        AuditEvent(
            action: action, resource: "thing:\(n)", outcome: outcome, actor: AuditActor(kind: .user, id: actor, sourceAddress: "127.0.0.1"),
            requestID: "r\(n)"
        )
    }

    static func verify(_ persistence: Persistence) async throws -> AuditVerification {
        var verifier = AuditChainVerifier()
        try await persistence.audit.scan(after: 0, pageSize: 100) { page in page.allSatisfy { verifier.consume($0) } }
        return verifier.finish()
    }

    @Test(arguments: TestBackend.available)
    func eventsCommitWithTheirUnitOfWorkOrNotAtAll(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            try await persistence.write { work in
                work.record(Self.event("thing.create", 1))
                work.record(Self.event("thing.create", 2, actor: "u2"))
            }
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await persistence.write { work in
                    work.record(Self.event("thing.create", 3))
                    throw Refused()
                }
            }
            try await persistence.write { work in work.record(Self.event("thing.delete", 4, outcome: .failure)) }
            try await persistence.write { _ in }

            let all = try await persistence.audit.page(AuditQuery())
            #expect(all.map(\.seq) == [1, 2, 3])
            #expect(all.map(\.requestID) == ["r1", "r2", "r4"])
            #expect(try await persistence.audit.head() == AuditChainHead(seq: 3, hash: all[2].hash))
            #expect(try await Self.verify(persistence) == .valid(records: 3, head: AuditChainHead(seq: 3, hash: all[2].hash)))

            #expect(try await persistence.audit.page(AuditQuery(actorID: "u2")).map(\.seq) == [2])
            #expect(try await persistence.audit.page(AuditQuery(action: "thing.delete")).map(\.seq) == [3])
            #expect(try await persistence.audit.page(AuditQuery(outcome: "failure")).map(\.seq) == [3])
            #expect(try await persistence.audit.page(AuditQuery(resource: "thing:2")).map(\.seq) == [2])
            #expect(try await persistence.audit.page(AuditQuery(afterSeq: 1, limit: 1)).map(\.seq) == [2])
        }
    }

    /// A batch larger than one INSERT statement still lands as one consecutive run.
    @Test(arguments: TestBackend.available)
    func aLargeBatchIsOneRun(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            try await persistence.write { work in
                for n in 1...1_201 { work.record(Self.event("thing.create", n)) }
            }
            guard case .valid(let count, _) = try await Self.verify(persistence) else { Issue.record("chain broken"); return }
            #expect(count == 1_201)
        }
    }

    /// Many writers on many connections at once: one gapless, unforked chain.
    @Test(arguments: TestBackend.available)
    func concurrentWritersNeverForkTheChain(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for n in 0..<20 {
                            try await persistence.write { work in
                                for k in 0...(n % 3) { work.record(Self.event("thing.create", writer * 1000 + n * 10 + k, actor: "w\(writer)")) }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let expected = Int64(8 * (0..<20).reduce(0) { $0 + ($1 % 3) + 1 })
            guard case .valid(let count, _) = try await Self.verify(persistence) else { Issue.record("chain broken"); return }
            #expect(count == expected)
        }
    }

    /// Neither the service role nor anyone else gets past the triggers: SQLite aborts,
    /// PostgreSQL refuses UPDATE, DELETE and TRUNCATE (the service role lacks the grants
    /// too, and holds exactly SELECT and INSERT).
    @Test(arguments: TestBackend.available)
    func theDatabaseRefusesToRewriteTheChain(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, database in
            try await persistence.write { work in work.record(Self.event("thing.create", 1)) }
            var attempts = [
                "UPDATE audit_events SET outcome = 'failure'",
                "DELETE FROM audit_events",
                "DELETE FROM audit_events WHERE seq = 1",
            ]
            if backend == .postgres { attempts.append("TRUNCATE audit_events") }
            let owner = try await database.openAsOwner()
            defer { Task { await owner.close() } }
            for sql in attempts {
                await #expect(throws: (any Error).self, "service role: \(sql)") { try await persistence.database.direct.execute(sql) }
                await #expect(throws: (any Error).self, "owner: \(sql)") { try await owner.direct.execute(sql) }
            }
            #expect(try await persistence.audit.page(AuditQuery()).map(\.outcome) == ["success"])
            if backend == .postgres {
                let grants = try await persistence.database.direct.query(
                    "SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'audit_events' AND grantee = current_user",
                    []
                )
                #expect(Set(try grants.map { try $0.text("privilege_type") }) == ["SELECT", "INSERT"])
            }
        }
    }
}
