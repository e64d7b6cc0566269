import Foundation
import StrongroomKernel

/// What identity needs from storage. `Storage` implements it for SQLite and PostgreSQL; the
/// store conformance suite runs every method against both.
///
/// A store is bound either to a unit of work (its writes commit or roll back together with
/// everything else in it) or to the database for reads.
public protocol IdentityStore: Sendable {
    func countUsers() async throws -> Int
    /// Throws `usernameTaken` when the (folded) username exists.
    func insertUser(_ user: User) async throws
    func user(id: UUID) async throws -> User?
    func user(username: Username) async throws -> User?
    func updatePassword(userID: UUID, hash: PasswordHash, mustChangePassword: Bool, at: Timestamp) async throws

    /// Inserts the group unless one of that name exists; answers the stored group either way.
    func ensureGroup(_ group: Group) async throws -> Group
    func group(name: String) async throws -> Group?
    func addMember(userID: UUID, groupID: UUID) async throws
    /// The groups a user belongs to, ordered by name.
    func groups(ofUser userID: UUID) async throws -> [Group]

    func insertSigningKey(_ key: SigningKeyRecord) async throws
    /// Every signing key, oldest first.
    func signingKeys() async throws -> [SigningKeyRecord]
}

extension StrongroomError {
    public static let usernameTaken = StrongroomError(.usernameTaken, .conflict, "That username is taken.")
}
