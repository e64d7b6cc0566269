import Foundation
import Identity
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// Migration 8 and the store's side of time-limited access, on every backend: expiries round
/// trip on memberships and grants, the lapses due are found, and a lapse is removed once (a
/// second remover, or one holding an expiry renewed since, removes nothing).
@Suite("Access expiry store")
struct AccessExpiryStoreTests {
    static let now = Timestamp(microsecondsSinceEpoch: 1_795_000_000_123_456)

    @Test(arguments: TestBackend.available)
    func expiriesRoundTripAndLapsesAreRemovedOnce(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let soon = Self.now.adding(seconds: 60)
            let later = Self.now.adding(seconds: 3600)
            let ops = Group(
                id: UUID(), name: "ops", permissions: [.transactionsCreate, .transactionsRead], builtIn: false, createdAt: Self.now,
                permissionExpiries: [.transactionsCreate: soon]
            )
            let readers = Group(id: UUID(), name: "readers", permissions: [.auditRead], builtIn: false, createdAt: Self.now)
            let alice = User(
                id: UUID(), username: try Username("alice"), passwordHash: PasswordHash(encoded: "$sr1$x"), status: .active,
                mustChangePassword: false, createdAt: Self.now, updatedAt: Self.now
            )
            let client = MachineClient(
                id: UUID(), name: "batch", secretHash: "h", previousSecretHash: nil, previousSecretValidUntil: nil, status: .active,
                createdAt: Self.now, updatedAt: Self.now
            )
            try await persistence.write { work in
                try await work.identity.insertGroup(ops)
                try await work.identity.insertGroup(readers)
                try await work.identity.insertUser(alice)
                try await work.identity.insertClient(client)
                try await work.identity.setMemberships(
                    principalID: alice.id, kind: .user, groupIDs: [ops.id, readers.id], expiries: [readers.id: later]
                )
                try await work.identity.setMemberships(principalID: client.id, kind: .client, groupIDs: [ops.id], expiries: [ops.id: soon])
            }

            #expect(try await persistence.identity.group(id: ops.id) == ops)
            let memberships = try await persistence.identity.memberships(of: alice.id, kind: .user)
            #expect(memberships == [Membership(group: ops, expiresAt: nil), Membership(group: readers, expiresAt: later)])
            #expect(try await persistence.identity.memberships(of: client.id, kind: .client) == [Membership(group: ops, expiresAt: soon)])

            #expect(try await persistence.identity.lapses(at: Self.now, limit: 100).isEmpty)
            let due = try await persistence.identity.lapses(at: soon, limit: 100)
            #expect(Set(due.map(\.action)) == ["membership.lapse", "grant.lapse"])
            #expect(due.count == 2)
            #expect(due.allSatisfy { $0.expiresAt == soon })

            for lapse in due {
                #expect(try await persistence.write { try await $0.identity.remove(lapse) })
                #expect(!(try await persistence.write { try await $0.identity.remove(lapse) }))
            }
            #expect(try await persistence.identity.lapses(at: soon, limit: 100).isEmpty)
            #expect(try await persistence.identity.group(id: ops.id)?.permissions == [.transactionsRead])
            #expect(try await persistence.identity.memberships(of: client.id, kind: .client).isEmpty)

            // A renewed expiry is not the lapse that was found: its removal removes nothing.
            let found = try #require(try await persistence.identity.lapses(at: later, limit: 100).first)
            try await persistence.write { work in
                try await work.identity.setMemberships(
                    principalID: alice.id, kind: .user, groupIDs: [ops.id, readers.id], expiries: [readers.id: later.adding(seconds: 60)]
                )
            }
            #expect(!(try await persistence.write { try await $0.identity.remove(found) }))
            #expect(try await persistence.identity.memberships(of: alice.id, kind: .user).count == 2)
        }
    }
}
