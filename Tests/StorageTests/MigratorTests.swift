import Foundation
import Storage
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
}
