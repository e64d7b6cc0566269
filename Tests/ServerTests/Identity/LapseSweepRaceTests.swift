import Audit
import Foundation
import Identity
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Two servers' lapse sweepers on one database, each through its own connections, sweeping
/// the same lapsed memberships and grants at once: each lapse is removed and recorded exactly
/// once between them (the delete answers which of them removed the row, and only that one
/// records it, in the same unit of work).
@Suite("Lapse sweeps racing")
struct LapseSweepRaceTests {
    static let memberships = 40
    static let grants = 10

    @Test(arguments: TestBackend.available)
    func twoSweepersRecordEachLapseOnce(backend: TestBackend) async throws {
        let database = try await TestDatabase.create(backend)
        let first = try await database.openMigrated(maximumConnections: 4)
        let second = try await database.openMigrated(maximumConnections: 4)
        do {
            let clock = SteppingClock(start: SystemClock().now())
            try await Self.plant(first, clock: clock)
            clock.advance(seconds: 120)
            let sweepers = [first, second].map { AccessLapseSweeper(persistence: $0, clock: clock, logger: TestDatabase.logger) }
            // Both sweep until neither finds anything left; each counts what it recorded.
            let recorded = try await withThrowingTaskGroup(of: Int.self) { group in
                for sweeper in sweepers {
                    group.addTask {
                        var total = 0
                        while true {
                            let swept = try await sweeper.sweep(now: clock.now())
                            total += swept
                            if swept == 0, try await sweeper.persistence.identity.lapses(at: clock.now(), limit: 1).isEmpty { return total }
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(recorded.reduce(0, +) == Self.memberships + Self.grants, "recorded per sweeper: \(recorded)")
            let records = try await first.audit.records(after: 0, limit: 1_000)
            let lapses = records.filter { $0.action == "membership.lapse" || $0.action == "grant.lapse" }
            #expect(lapses.count == Self.memberships + Self.grants)
            #expect(Set(lapses.map { "\($0.resource) \($0.summary)" }).count == lapses.count, "a lapse recorded twice")
            #expect(try await first.audit.records(after: 0, limit: 1_000).count == records.count)
            await first.close()
            await second.close()
        } catch {
            await first.close()
            await second.close()
            await database.destroy()
            throw error
        }
        await database.destroy()
    }

    /// `memberships` users, each in one group until a minute from now, and a group whose
    /// `grants` grants lapse then too.
    static func plant(_ persistence: Persistence, clock: SteppingClock) async throws {
        let lapsesAt = clock.now().adding(seconds: 60)
        let now = clock.now()
        try await persistence.write { work in
            let readers = Group(id: UUID(), name: "readers", permissions: [.usersRead], builtIn: false, createdAt: now)
            try await work.identity.insertGroup(readers)
            let permissions = Array(PermissionCatalogue.all.sorted().prefix(grants))
            var granting = Group(id: UUID(), name: "granting", permissions: Set(permissions), builtIn: false, createdAt: now)
            granting.permissionExpiries = Dictionary(uniqueKeysWithValues: permissions.map { ($0, lapsesAt) })
            try await work.identity.insertGroup(granting)
            for index in 0..<memberships {
                let id = UUID()
                try await work.identity.insertUser(User(
                    id: id, username: try Username("user\(index)"), passwordHash: PasswordHasher(cost: 4).hash("a long enough passphrase"),
                    status: .active, mustChangePassword: false, createdAt: now, updatedAt: now
                ))
                try await work.identity.setMemberships(principalID: id, kind: .user, groupIDs: [readers.id], expiries: [readers.id: lapsesAt])
            }
        }
    }
}
