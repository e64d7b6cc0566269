import Foundation
import Logging
import Storage

/// The storage backends the test suites run against: SQLite always, PostgreSQL when
/// `STRONGROOM_TEST_POSTGRES_URL` names a server (`scripts/test` starts one). With
/// `STRONGROOM_TEST_REQUIRE_POSTGRES=1` a missing server fails the PostgreSQL cases
/// instead of leaving them out, so CI cannot pass on SQLite alone.
public enum TestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    public static var available: [TestBackend] {
        let environment = ProcessInfo.processInfo.environment
        let configured = environment["STRONGROOM_TEST_POSTGRES_URL"] != nil
        let required = environment["STRONGROOM_TEST_REQUIRE_POSTGRES"] == "1"
        return configured || required ? [.sqlite, .postgres] : [.sqlite]
    }
}

/// A fresh, migrated, empty database for one test, with the URLs a server process needs to
/// reach it. PostgreSQL gets a new database per test, created by the owner role, migrated
/// by it, and used through the separate service role, as production runs.
public struct TestDatabase: Sendable {
    /// The wait for a pooled PostgreSQL connection in the databases this opens for store
    /// tests: the server's 3 s bound is about answering 503 when the database is gone (its
    /// own tests keep it), and at the start of a full run, with dozens of tests creating
    /// databases and opening first connections on two cores at once, a healthy first
    /// connection has taken longer than that.
    public static let leaseTimeout = Duration.seconds(30)

    public let backend: TestBackend
    public let serviceURL: DatabaseURL
    public let ownerURL: DatabaseURL
    /// A scratch directory for the test (the SQLite file lives in it).
    public let directory: String
    private let postgresName: String?

    public static let logger: Logger = {
        var logger = Logger(label: "strongroom.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Creates the database; it is not migrated (see `openMigrated`).
    public static func create(_ backend: TestBackend) async throws -> TestDatabase {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strongroom-test-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            let url = DatabaseURL.sqlite(path: directory + "/strongroom.db")
            return TestDatabase(backend: backend, serviceURL: url, ownerURL: url, directory: directory, postgresName: nil)
        case .postgres:
            let environment = ProcessInfo.processInfo.environment
            guard let ownerText = environment["STRONGROOM_TEST_POSTGRES_URL"],
                let serviceText = environment["STRONGROOM_TEST_POSTGRES_SERVICE_URL"]
            else {
                throw TestDatabaseError(
                    "PostgreSQL is required: set STRONGROOM_TEST_POSTGRES_URL and STRONGROOM_TEST_POSTGRES_SERVICE_URL (scripts/test does)"
                )
            }
            guard case .postgres(var owner) = try DatabaseURL(parsing: ownerText),
                case .postgres(var service) = try DatabaseURL(parsing: serviceText)
            else { throw TestDatabaseError("the test PostgreSQL URLs must be postgres:// URLs") }
            let name = "sr_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try await PostgresDatabase.open(target: owner, maximumConnections: 1, logger: logger, leaseTimeout: Self.leaseTimeout)
            do {
                try await admin.direct.execute("CREATE DATABASE \(name)")
                await admin.close()
            } catch {
                await admin.close()
                throw error
            }
            owner.database = name
            service.database = name
            return TestDatabase(
                backend: backend, serviceURL: .postgres(service), ownerURL: .postgres(owner), directory: directory,
                postgresName: name
            )
        }
    }

    /// Migrates as the owner (granting the service role), then opens as the service.
    public func openMigrated(maximumConnections: Int = 8) async throws -> Persistence {
        let owner = try await Persistence.open(ownerURL, maximumConnections: 1, logger: Self.logger, postgresLeaseTimeout: Self.leaseTimeout)
        do {
            try await Migrator().migrate(owner, serviceRole: serviceURL.serviceRole(ownedBy: ownerURL), logger: Self.logger)
            await owner.close()
        } catch {
            await owner.close()
            throw error
        }
        return Persistence(database: try await Persistence.open(
            serviceURL, maximumConnections: maximumConnections, logger: Self.logger, postgresLeaseTimeout: Self.leaseTimeout
        ))
    }

    /// Opens the database as its owner, unmigrated, for tests of the migrator itself.
    public func openAsOwner(maximumConnections: Int = 2) async throws -> any SQLDatabase {
        try await Persistence.open(ownerURL, maximumConnections: maximumConnections, logger: Self.logger, postgresLeaseTimeout: Self.leaseTimeout)
    }

    /// Drops the PostgreSQL database and removes the scratch directory.
    public func destroy() async {
        if let postgresName, case .postgres(var owner) = ownerURL {
            owner.database = "postgres"
            if let admin = try? await PostgresDatabase.open(
                target: owner, maximumConnections: 1, logger: Self.logger, leaseTimeout: Self.leaseTimeout
            ) {
                try? await admin.direct.execute("DROP DATABASE IF EXISTS \(postgresName) WITH (FORCE)")
                await admin.close()
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a fresh migrated database and always cleans up.
    public static func with<T: Sendable>(
        _ backend: TestBackend, _ body: (Persistence, TestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await create(backend)
        do {
            let persistence = try await database.openMigrated()
            do {
                let result = try await body(persistence, database)
                await persistence.close()
                await database.destroy()
                return result
            } catch {
                await persistence.close()
                throw error
            }
        } catch {
            await database.destroy()
            throw error
        }
    }
}

extension TestDatabase {
    /// Runs `body` with `count` unmigrated owner connections to a fresh database, and always
    /// closes them and drops the database, whatever `body` does.
    public static func withOwners<T: Sendable>(
        _ backend: TestBackend, count: Int = 1, _ body: ([any SQLDatabase]) async throws -> T
    ) async throws -> T {
        let database = try await create(backend)
        var owners: [any SQLDatabase] = []
        do {
            for _ in 0..<count { owners.append(try await database.openAsOwner()) }
            let result = try await body(owners)
            for owner in owners { await owner.close() }
            await database.destroy()
            return result
        } catch {
            for owner in owners { await owner.close() }
            await database.destroy()
            throw error
        }
    }
}

public struct TestDatabaseError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
