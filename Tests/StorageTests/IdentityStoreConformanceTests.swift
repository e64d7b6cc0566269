import Foundation
import Identity
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// Every method of `IdentityStore`, the same tests on every backend.
@Suite("IdentityStore conformance")
struct IdentityStoreConformanceTests {
    static let now = Timestamp(microsecondsSinceEpoch: 1_795_000_000_123_456)

    static func user(_ name: String, mustChange: Bool = false) throws -> User {
        User(
            id: UUID(), username: try Username(name), passwordHash: PasswordHash(encoded: "$sr1$hash-of-\(name)"),
            status: .active, mustChangePassword: mustChange, createdAt: now, updatedAt: now
        )
    }

    @Test(arguments: TestBackend.available)
    func usersRoundTripExactly(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            #expect(try await persistence.identity.countUsers() == 0)
            let alice = try Self.user("alice", mustChange: true)
            try await persistence.write { try await $0.identity.insertUser(alice) }
            #expect(try await persistence.identity.countUsers() == 1)
            #expect(try await persistence.identity.user(id: alice.id) == alice)
            #expect(try await persistence.identity.user(username: Username("ALICE")) == alice)
            #expect(try await persistence.identity.user(id: UUID()) == nil)
            #expect(try await persistence.identity.user(username: Username("bob")) == nil)
        }
    }

    @Test(arguments: TestBackend.available)
    func aTakenUsernameIsRefusedWithItsCode(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            try await persistence.write { try await $0.identity.insertUser(try Self.user("alice")) }
            await #expect(throws: StrongroomError.usernameTaken) {
                try await persistence.write { try await $0.identity.insertUser(try Self.user("Alice")) }
            }
            #expect(try await persistence.identity.countUsers() == 1)
        }
    }

    @Test(arguments: TestBackend.available)
    func passwordUpdatesPersist(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let alice = try Self.user("alice", mustChange: true)
            try await persistence.write { try await $0.identity.insertUser(alice) }
            let later = Self.now.adding(seconds: 60)
            try await persistence.write {
                try await $0.identity.updatePassword(
                    userID: alice.id, hash: PasswordHash(encoded: "$sr1$new"), mustChangePassword: false, at: later
                )
            }
            let stored = try #require(try await persistence.identity.user(id: alice.id))
            #expect(stored.passwordHash == PasswordHash(encoded: "$sr1$new"))
            #expect(!stored.mustChangePassword)
            #expect(stored.updatedAt == later)
            #expect(stored.createdAt == Self.now)
        }
    }

    @Test(arguments: TestBackend.available)
    func groupsAndMembership(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let alice = try Self.user("alice")
            let auditors = Group(id: UUID(), name: "auditors", permissions: [.auditRead, .transactionsRead], builtIn: false, createdAt: Self.now)
            let admins = Group(id: UUID(), name: "administrators", permissions: PermissionCatalogue.all, builtIn: true, createdAt: Self.now)
            try await persistence.write { work in
                try await work.identity.insertUser(alice)
                let storedAuditors = try await work.identity.ensureGroup(auditors)
                #expect(storedAuditors == auditors)
                // Ensuring again answers the stored group and changes nothing.
                let again = try await work.identity.ensureGroup(
                    Group(id: UUID(), name: "auditors", permissions: [.keysManage], builtIn: true, createdAt: Self.now)
                )
                #expect(again == auditors)
                _ = try await work.identity.ensureGroup(admins)
                try await work.identity.addMember(userID: alice.id, groupID: auditors.id)
                try await work.identity.addMember(userID: alice.id, groupID: admins.id)
                try await work.identity.addMember(userID: alice.id, groupID: admins.id)
            }
            #expect(try await persistence.identity.group(name: "auditors") == auditors)
            #expect(try await persistence.identity.group(name: "nobody") == nil)
            let groups = try await persistence.identity.groups(of: alice.id, kind: .user)
            #expect(groups == [admins, auditors])
            #expect(try await persistence.identity.groups(of: UUID(), kind: .user).isEmpty)
        }
    }

    @Test(arguments: TestBackend.available)
    func signingKeysKeepTheirBytesAndOrder(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let first = SigningKeyRecord(kid: "k1", algorithm: "EdDSA", sealedPrivateKey: Array(0...255), publicKey: [0, 1, 2], createdAt: Self.now)
            let second = SigningKeyRecord(
                kid: "k0", algorithm: "EdDSA", sealedPrivateKey: [255, 0], publicKey: [9], createdAt: Self.now.adding(seconds: 1)
            )
            try await persistence.write { work in
                try await work.identity.insertSigningKey(second)
                try await work.identity.insertSigningKey(first)
            }
            #expect(try await persistence.identity.signingKeys() == [first, second])
        }
    }

    @Test(arguments: TestBackend.available)
    func aFailedUnitOfWorkLeavesNothing(backend: TestBackend) async throws {
        struct Boom: Error {}
        try await TestDatabase.with(backend) { persistence, _ throws in
            await #expect(throws: Boom.self) {
                try await persistence.write { work in
                    try await work.identity.insertUser(try Self.user("alice"))
                    throw Boom()
                }
            }
            #expect(try await persistence.identity.countUsers() == 0)
        }
    }
}
