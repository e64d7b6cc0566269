import Foundation
import StrongroomKernel

/// Password login and password change: the credential checks, with hashing kept off the
/// cooperative pool and a wrong username costing as much time as a wrong password. Issuing
/// the token for an authenticated user is the caller's, with the current keyring.
public struct LoginService: Sendable {
    private let hasher: PasswordHasher
    private let executor: any BlockingExecutor
    private let clock: any WallClock
    let checkTime: PasswordCheckTime

    /// Times one hash at the configured cost as the first estimate of a password check:
    /// create one service per process, not one per request.
    public init(hasher: PasswordHasher, executor: any BlockingExecutor, clock: any WallClock) {
        self.hasher = hasher
        self.executor = executor
        self.clock = clock
        let start = ContinuousClock.now
        _ = hasher.hash(UUID().uuidString)
        self.checkTime = PasswordCheckTime(initial: .now - start)
    }

    /// The active user whose password this is; `invalidCredentials` for anything else.
    public func authenticate(username rawUsername: String, password: String, store: any IdentityStore) async throws -> User {
        // Bound the work an anonymous caller can ask for before any lookup or hashing.
        guard password.utf8.count <= PasswordPolicy.maximumLength * 4 else { throw StrongroomError.invalidCredentials }
        let username = try? Username(rawUsername)
        let user = if let username { try await store.user(username: username) } else { User?.none }
        guard try await check(password, of: user), let user, user.status == .active else { throw StrongroomError.invalidCredentials }
        return user
    }

    /// Whether `password` is `user`'s. For a name that does not exist (`user` nil) the answer
    /// is no, given after as long as a real check takes here, on the same hashing threads so
    /// that it queues like one, but without hashing: the wait is a sleep. The name's existence
    /// does not show in the time, and a flood of invented names costs no CPU (docs/SECURITY.md,
    /// "Who can log in").
    func check(_ password: String, of user: User?) async throws -> Bool {
        let hasher = self.hasher
        let checkTime = self.checkTime
        guard let user else {
            let wait = checkTime.seconds
            try await executor.run { Thread.sleep(forTimeInterval: wait) }
            return false
        }
        return try await executor.run {
            let start = ContinuousClock.now
            let matches = hasher.verify(password, against: user.passwordHash)
            checkTime.observe(.now - start)
            return matches
        }
    }

    /// Changes the caller's own password. `store` must be bound to a unit of work.
    public func changePassword(
        userID: UUID, currentPassword: String, newPassword: String, store: any IdentityStore
    ) async throws {
        guard currentPassword.utf8.count <= PasswordPolicy.maximumLength * 4,
            let user = try await store.user(id: userID), user.status == .active
        else { throw StrongroomError.invalidCredentials }
        guard try await check(currentPassword, of: user) else { throw StrongroomError.invalidCredentials }
        try PasswordPolicy.check(newPassword, username: user.username)
        guard newPassword != currentPassword else {
            throw StrongroomError(
                .passwordReused, "The new password must differ from the current one.",
                fields: [.init(field: "new_password", message: "must differ from the current password")]
            )
        }
        let hasher = self.hasher
        let newHash = try await executor.run { hasher.hash(newPassword) }
        try await store.updatePassword(userID: user.id, hash: newHash, mustChangePassword: false, at: clock.now())
    }
}
