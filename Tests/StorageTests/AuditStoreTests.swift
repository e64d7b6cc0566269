import Audit
import Foundation
@testable import Storage
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

    /// Inserts `record` as it is, past the appender, as a buggy or hostile writer would.
    static func insertAsIs(_ record: AuditRecord, _ executor: any SQLExecutor) async throws {
        try await executor.execute(
            """
            INSERT INTO audit_events (seq, recorded_at, actor_kind, actor_id, actor_address, action, resource, outcome, request_id,
            summary, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """,
            [
                .int(record.seq), .int(record.time.microsecondsSinceEpoch), .text(record.actorKind), .text(record.actorID),
                record.actorAddress.map(SQLValue.text) ?? .null, .text(record.action), .text(record.resource), .text(record.outcome),
                .text(record.requestID), .text(record.summary), .text(record.prevHash), .text(record.hash),
            ]
        )
    }

    /// The database refuses a record that does not extend the chain, even one correctly
    /// hashed and inserted past the appender: linked to the wrong record or to none, placed
    /// past a gap, or a second record at a taken seq (a fork). The one that does extend the
    /// head goes in, so the refusals are about the link and nothing else.
    @Test(arguments: TestBackend.available)
    func theDatabaseRefusesARecordThatDoesNotExtendTheChain(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            try await persistence.write { work in
                work.record(Self.event("thing.create", 1))
                work.record(Self.event("thing.create", 2))
            }
            let head = try #require(try await persistence.audit.head())
            let first = try #require(try await persistence.audit.record(seq: 1))
            func after(_ seq: Int64, linkedTo hash: String) -> AuditRecord {
                AuditChain.extend(AuditChainHead(seq: seq - 1, hash: hash), with: [Self.event("thing.forge", 9)], at: first.time)[0]
            }
            let unlinked = [
                after(3, linkedTo: first.hash),
                after(3, linkedTo: String(repeating: "f", count: 64)),
                after(4, linkedTo: head.hash),
                after(2, linkedTo: first.hash),
            ]
            for record in unlinked {
                await #expect(throws: (any Error).self, "seq \(record.seq) after \(record.prevHash.prefix(8))") {
                    try await persistence.database.transaction { try await Self.insertAsIs(record, $0) }
                }
            }
            let linked = after(3, linkedTo: head.hash)
            try await persistence.database.transaction { try await Self.insertAsIs(linked, $0) }
            guard case .valid(let count, _) = try await Self.verify(persistence) else { Issue.record("chain broken"); return }
            #expect(count == 3)
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
            // In a write transaction: SQLite's `direct` readers are read-only and would refuse
            // any write whatever the triggers say. The owner must meet the trigger itself; the
            // service role may meet its missing grant first (PostgreSQL).
            for sql in attempts {
                for (role, connection) in [("service role", persistence.database), ("owner", owner)] {
                    do {
                        try await connection.transaction { try await $0.execute(sql, []) }
                        Issue.record("\(role) was allowed: \(sql)")
                    } catch {
                        let text = String(reflecting: error)
                        let byGrant = role == "service role" && text.contains("permission denied")
                        #expect(text.contains(AuditSchema.refusal) || byGrant, "\(role): \(sql) failed otherwise: \(text)")
                    }
                }
            }
            await owner.close()
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
