import Audit
import Foundation
@testable import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    static let logger = TestDatabase.logger

    @Test(arguments: TestBackend.available)
    func migratingTwiceAppliesNothingTheSecondTime(backend: TestBackend) async throws {
        try await TestDatabase.withOwners(backend) { owners in
            let owner = owners[0]
            let migrator = Migrator()
            #expect((try? await migrator.isCurrent(owner)) != true)
            let first = try await migrator.migrate(owner, serviceRole: nil, logger: Self.logger)
            #expect(first.last == migrator.latestVersion)
            #expect(try await migrator.migrate(owner, serviceRole: nil, logger: Self.logger).isEmpty)
            #expect(try await migrator.isCurrent(owner))
        }
    }

    @Test(arguments: TestBackend.available)
    func concurrentMigrationsFromSeveralConnectionsApplyOnce(backend: TestBackend) async throws {
        try await TestDatabase.withOwners(backend, count: 3) { owners in
            let results = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for owner in owners {
                    group.addTask { try await Migrator().migrate(owner, serviceRole: nil, logger: Self.logger) }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            #expect(results.filter { !$0.isEmpty }.count == 1)
            #expect(results.flatMap { $0 } == (1...Migrator().latestVersion).map { $0 })
        }
    }

    @Test(arguments: TestBackend.available)
    func aDatabaseWithUnknownHistoryIsRefused(backend: TestBackend) async throws {
        try await TestDatabase.withOwners(backend) { owners in
            try await Migrator().migrate(owners[0], serviceRole: nil, logger: Self.logger)
            try await owners[0].transaction { tx in
                try await tx.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
                    [.int(999_999), .text("from the future"), .text("0"), .int(0)]
                )
            }
            await #expect(throws: StorageError.self) {
                try await Migrator().migrate(owners[0], serviceRole: nil, logger: Self.logger)
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func anEditedMigrationIsRefused(backend: TestBackend) async throws {
        try await TestDatabase.withOwners(backend) { owners in
            try await Migrator().migrate(owners[0], serviceRole: nil, logger: Self.logger)
            try await owners[0].transaction { tx in
                try await tx.execute("UPDATE schema_migrations SET checksum = $1 WHERE version = $2", [.text("edited"), .int(1)])
            }
            await #expect(throws: StorageError.self) {
                try await Migrator().migrate(owners[0], serviceRole: nil, logger: Self.logger)
            }
        }
    }

    /// Migration 5 replaces the hash columns' unique indexes with a trigger (on SQLite by
    /// rebuilding the table): a chain written before it keeps every record, verifies, and
    /// takes appends after it, and the rebuilt table still refuses updates.
    @Test(arguments: TestBackend.available)
    func anAuditChainWrittenBeforeTheLinkMigrationSurvivesIt(backend: TestBackend) async throws {
        try await TestDatabase.withOwners(backend) { owners in
            let owner = owners[0]
            try await Migrator(migrations: Schema.migrations.filter { $0.version < 5 }).migrate(owner, serviceRole: nil, logger: Self.logger)
            let events = (1...3).map { n in
                AuditEvent(action: "thing.create", resource: "thing:\(n)", outcome: .success,
                           actor: AuditActor(kind: .user, id: "u\(n)", sourceAddress: n == 2 ? nil : "127.0.0.1"), requestID: "r\(n)")
            }
            let before = try await owner.transaction { try await AuditRecords(executor: $0).append(events, at: Timestamp(microsecondsSinceEpoch: 1_000_000)) }

            #expect(try await Migrator().migrate(owner, serviceRole: nil, logger: Self.logger) == Array(5...Migrator().latestVersion))
            #expect(try await AuditRecords(executor: owner.direct).records(after: 0, limit: 10) == before)
            let after = try await owner.transaction { try await AuditRecords(executor: $0).append(events, at: Timestamp(microsecondsSinceEpoch: 2_000_000)) }
            var verifier = AuditChainVerifier()
            #expect(try await AuditRecords(executor: owner.direct).records(after: 0, limit: 10).allSatisfy { verifier.consume($0) })
            #expect(verifier.finish() == .valid(records: 6, head: AuditChainHead(seq: 6, hash: after[2].hash)))
            // In a write transaction: SQLite's `direct` readers would refuse any write.
            let refusal = await #expect(throws: (any Error).self) {
                try await owner.transaction { try await $0.execute("UPDATE audit_events SET outcome = 'failure'", []) }
            }
            #expect(refusal.map { String(reflecting: $0).contains(AuditSchema.refusal) } == true)
        }
    }
}
