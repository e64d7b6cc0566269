import Foundation
import StrongroomKernel

/// A person who logs in. The password is kept only as a slow, salted hash.
public struct User: Sendable, Equatable {
    public enum Status: String, Sendable {
        case active
        case disabled
    }

    public let id: UUID
    public let username: Username
    public var passwordHash: PasswordHash
    public var status: Status
    /// Set for a generated bootstrap password: such an account may only change its password.
    public var mustChangePassword: Bool
    /// A confirmed TOTP enrolment: logins then need a code.
    public var mfaEnrolled: Bool
    public let createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: UUID, username: Username, passwordHash: PasswordHash, status: Status, mustChangePassword: Bool,
        mfaEnrolled: Bool = false, createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.status = status
        self.mustChangePassword = mustChangePassword
        self.mfaEnrolled = mfaEnrolled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
