import Foundation
import StrongroomKernel

/// Password login and password change: the credential checks, with hashing kept off the
/// cooperative pool and a wrong username costing as much time as a wrong password. Issuing
/// the token for an authenticated user is the caller's, with the current keyring.
public struct LoginService: Sendable {
    private let hasher: PasswordHasher
    private let executor: any BlockingExecutor
    private let clock: any WallClock
    private let decoy: PasswordHash

    /// Hashes the decoy once, here: create one service per process, not one per request.
    public init(hasher: PasswordHasher, executor: any BlockingExecutor, clock: any WallClock) {
        self.hasher = hasher
        self.executor = executor
        self.clock = clock
        self.decoy = hasher.decoyHash()
    }

    /// The active user whose password this is; `invalidCredentials` for anything else.
    public func authenticate(username rawUsername: String, password: String, store: any IdentityStore) async throws -> User {
        // Bound the work an anonymous caller can ask for before any lookup or hashing.
        guard password.utf8.count <= PasswordPolicy.maximumLength * 4 else { throw StrongroomError.invalidCredentials }
        let username = try? Username(rawUsername)
        let user = if let username { try await store.user(username: username) } else { User?.none }
        let hash = user?.passwordHash ?? decoy
        let hasher = self.hasher
        let matches = try await executor.run { hasher.verify(password, against: hash) }
        guard let user, matches, user.status == .active else { throw StrongroomError.invalidCredentials }
        return user
    }

    /// Changes the caller's own password. `store` must be bound to a unit of work.
    public func changePassword(
        userID: UUID, currentPassword: String, newPassword: String, store: any IdentityStore
    ) async throws {
        guard currentPassword.utf8.count <= PasswordPolicy.maximumLength * 4,
            let user = try await store.user(id: userID), user.status == .active
        else { throw StrongroomError.invalidCredentials }
        let hasher = self.hasher
        let matches = try await executor.run { hasher.verify(currentPassword, against: user.passwordHash) }
        guard matches else { throw StrongroomError.invalidCredentials }
        try PasswordPolicy.check(newPassword, username: user.username)
        guard newPassword != currentPassword else {
            throw StrongroomError(
                .passwordReused, .unprocessable, "The new password must differ from the current one.",
                fields: [.init(field: "new_password", message: "must differ from the current password")]
            )
        }
        let newHash = try await executor.run { hasher.hash(newPassword) }
        try await store.updatePassword(userID: user.id, hash: newHash, mustChangePassword: false, at: clock.now())
    }
}
