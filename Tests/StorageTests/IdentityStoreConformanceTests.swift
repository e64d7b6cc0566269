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
    func addingPermissionsAddsOnlyWhatTheGroupLacks(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let auditors = Group(id: UUID(), name: "auditors", permissions: [.auditRead], builtIn: false, createdAt: Self.now)
            try await persistence.write { try await $0.identity.insertGroup(auditors) }
            let added = try await persistence.write { work in
                try await work.identity.addPermissions([.auditRead, .metricsRead, .usersRead], toGroup: auditors.id)
            }
            #expect(added == [.metricsRead, .usersRead])
            let again = try await persistence.write { work in
                try await work.identity.addPermissions([.metricsRead], toGroup: auditors.id)
            }
            #expect(again.isEmpty)
            #expect(try await persistence.identity.group(id: auditors.id)?.permissions == [.auditRead, .metricsRead, .usersRead])
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

    @Test(arguments: TestBackend.available)
    func sessionStateIsSpentOnceAndPruned(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let alice = try Self.user("alice")
            try await persistence.write { try await $0.identity.insertUser(alice) }
            let family = UUID()
            let later = Timestamp(microsecondsSinceEpoch: Self.now.microsecondsSinceEpoch + 3_600_000_000)
            let token = RefreshTokenRecord(
                tokenHash: "h1", familyID: family, userID: alice.id, issuedAt: Self.now, familyExpiresAt: later, spentAt: nil, revoked: false
            )
            let sibling = RefreshTokenRecord(
                tokenHash: "h2", familyID: family, userID: alice.id, issuedAt: Self.now, familyExpiresAt: later, spentAt: nil, revoked: false
            )
            try await persistence.write { work in
                try await work.identity.insertRefreshToken(token)
                try await work.identity.insertRefreshToken(sibling)
            }
            // Spent once; the replay revokes the family, sibling included.
            let first = try await persistence.write { try await $0.identity.spendRefreshToken(hash: "h1", at: Self.now) }
            guard case .spent(let spent) = first else { Issue.record("not spent: \(first)"); return }
            #expect(spent.familyID == family)
            #expect(try await persistence.write { try await $0.identity.spendRefreshToken(hash: "h1", at: Self.now) } == .reused(familyID: family, userID: alice.id))
            #expect(try await persistence.write { try await $0.identity.spendRefreshToken(hash: "h2", at: Self.now) } == .invalid)
            #expect(try await persistence.write { try await $0.identity.spendRefreshToken(hash: "nope", at: Self.now) } == .invalid)

            // A TOTP step is spent once, and older steps with it.
            try await persistence.write { try await $0.identity.setTOTP(userID: alice.id, sealedSecret: [1, 2, 3], at: Self.now) }
            #expect(try await persistence.identity.totp(userID: alice.id) == TOTPEnrollment(sealedSecret: [1, 2, 3], confirmed: false, lastUsedStep: 0))
            #expect(try await persistence.write { try await $0.identity.spendTOTPStep(userID: alice.id, step: 100) })
            #expect(!(try await persistence.write { try await $0.identity.spendTOTPStep(userID: alice.id, step: 100) }))
            #expect(!(try await persistence.write { try await $0.identity.spendTOTPStep(userID: alice.id, step: 99) }))

            // Login counters count every failure, restart after the window, and prune.
            for expected in Int64(1)...3 {
                let counter = try await persistence.write { try await $0.identity.recordLoginFailure(key: "source:x", at: Self.now) }
                #expect(counter.failures == expected)
            }
            try await persistence.write { try await $0.identity.extendLoginLock(key: "source:x", until: later) }
            #expect(try await persistence.identity.loginCounters(keys: ["source:x", "source:y"])["source:x"]?.lockedUntil == later)
            let afterWindow = Timestamp(microsecondsSinceEpoch: later.microsecondsSinceEpoch + LoginThrottle.windowMicroseconds)
            let restarted = try await persistence.write { try await $0.identity.recordLoginFailure(key: "source:x", at: afterWindow) }
            #expect(restarted.failures == 1)
            try await persistence.write { work in
                try await work.identity.rememberLoginSource(account: "p", source: "x", at: Self.now)
                try await work.identity.revokeAccessToken(tokenID: "jti", expiresAt: later)
            }
            #expect(try await persistence.identity.isKnownLoginSource(account: "p", source: "x", since: Self.now))
            #expect(try await persistence.identity.isAccessTokenRevoked(tokenID: "jti"))
            let farFuture = Timestamp(microsecondsSinceEpoch: afterWindow.microsecondsSinceEpoch + LoginThrottle.knownSourceMicroseconds * 2)
            try await persistence.write { try await $0.identity.pruneExpired(at: farFuture) }
            #expect(try await persistence.identity.loginCounters(keys: ["source:x"]).isEmpty)
            #expect(!(try await persistence.identity.isKnownLoginSource(account: "p", source: "x", since: Self.now)))
            #expect(!(try await persistence.identity.isAccessTokenRevoked(tokenID: "jti")))
        }
    }
}
