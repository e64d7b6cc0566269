import Foundation
import Secrets
import StrongroomKernel

/// First start against an empty store: the built-in `administrators` group, one `admin`
/// user in it, and a token signing key. There are no default credentials: the password is
/// the operator's, or generated and handed back once to be written where only the operator
/// can read it.
public enum Bootstrap {
    public static let adminUsername = "admin"
    static let generatedPasswordLength = 24
    // No look-alike characters: the operator may have to type it from a file.
    static let passwordAlphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    public enum Outcome: Sendable, Equatable {
        case alreadyInitialized
        case createdWithSuppliedPassword
        /// The caller writes this once to `<data-dir>/initial-admin-password` and forgets it.
        case createdWithGeneratedPassword(SecretValue)
    }

    /// Creates the administrator when no user exists. `store` must be bound to a unit of
    /// work: a second process racing this one either sees the user or loses on the unique
    /// username, and then changes nothing.
    public static func ensureAdministrator(
        store: any IdentityStore, suppliedPassword: SecretValue?, hasher: PasswordHasher,
        executor: any BlockingExecutor, ids: IdentifierGenerator, now: Timestamp
    ) async throws -> Outcome {
        guard try await store.countUsers() == 0 else { return .alreadyInitialized }
        let username = Username(trusted: adminUsername)
        if let suppliedPassword {
            try PasswordPolicy.check(suppliedPassword.revealed, username: username)
        }
        let password = suppliedPassword ?? generatePassword()
        let administrators = try await store.ensureGroup(Group(
            id: ids.next(), name: Group.administratorsName, permissions: PermissionCatalogue.all, builtIn: true,
            createdAt: now
        ))
        let hash = try await executor.run { hasher.hash(password.revealed) }
        let user = User(
            id: ids.next(), username: username, passwordHash: hash, status: .active,
            mustChangePassword: suppliedPassword == nil, createdAt: now, updatedAt: now
        )
        do {
            try await store.insertUser(user)
        } catch let error as StrongroomError where error == .usernameTaken {
            return .alreadyInitialized
        }
        try await store.addMember(userID: user.id, groupID: administrators.id)
        return suppliedPassword == nil ? .createdWithGeneratedPassword(password) : .createdWithSuppliedPassword
    }

    /// Grants the built-in `administrators` group every catalogue permission it lacks, and
    /// answers the group and what was added (nil when nothing was). The group's permissions
    /// are stored rows, written when the database was bootstrapped: without this, a
    /// permission added to the catalogue later (`metrics:read`) would never reach the
    /// administrators of an existing database, and "administrators hold every permission"
    /// would hold only on fresh ones.
    public static func completeAdministrators(store: any IdentityStore) async throws -> (group: Group, added: [Permission])? {
        guard let group = try await store.group(name: Group.administratorsName), group.builtIn else { return nil }
        let missing = PermissionCatalogue.all.subtracting(group.permissions)
        guard !missing.isEmpty else { return nil }
        let added = try await store.addPermissions(missing, toGroup: group.id)
        return added.isEmpty ? nil : (group, added.sorted())
    }

    /// Creates the first signing key when there is none; answers its key id if it did. Two
    /// processes racing here each add one; both verify, and the newer signs.
    @discardableResult
    public static func ensureSigningKey(store: any IdentityStore, box: SecretBox, now: Timestamp) async throws -> String? {
        guard try await store.signingKeys().isEmpty else { return nil }
        let kid = newKeyID()
        try await store.insertSigningKey(SigningKeyring.generateRecord(box: box, kid: kid, at: now))
        return kid
    }

    /// Adds a signing key that signs from now on; the older ones verify until they retire
    /// (`SigningKeyring`).
    public static func rotateSigningKey(store: any IdentityStore, box: SecretBox, now: Timestamp) async throws -> SigningKeyRecord {
        let record = try SigningKeyring.generateRecord(box: box, kid: newKeyID(), at: now)
        try await store.insertSigningKey(record)
        return record
    }

    public static func newKeyID() -> String {
        var rng = SystemRandomNumberGenerator()
        return Hex.string((0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    static func generatePassword() -> SecretValue {
        var rng = SystemRandomNumberGenerator()
        return SecretValue(String((0..<generatedPasswordLength).map { _ in passwordAlphabet.randomElement(using: &rng)! }))
    }
}
