import Foundation
import StrongroomKernel

/// One refresh token as stored: only its hash, the family it belongs to (every token
/// descended from one login), and the family's absolute end.
public struct RefreshTokenRecord: Sendable, Equatable {
    public let tokenHash: String
    public let familyID: UUID
    public let userID: UUID
    public let issuedAt: Timestamp
    /// The family's absolute end: rotation never extends it.
    public let familyExpiresAt: Timestamp
    public var spentAt: Timestamp?
    public var revoked: Bool

    public init(
        tokenHash: String, familyID: UUID, userID: UUID, issuedAt: Timestamp, familyExpiresAt: Timestamp, spentAt: Timestamp?,
        revoked: Bool
    ) {
        self.tokenHash = tokenHash
        self.familyID = familyID
        self.userID = userID
        self.issuedAt = issuedAt
        self.familyExpiresAt = familyExpiresAt
        self.spentAt = spentAt
        self.revoked = revoked
    }
}

/// What presenting a refresh token came to.
public enum RefreshOutcome: Sendable, Equatable {
    /// Spent now: the caller may issue the next token of the family.
    case spent(RefreshTokenRecord)
    /// Spent before: a replay, so the family is revoked.
    case reused(familyID: UUID, userID: UUID)
    /// Unknown, expired or revoked.
    case invalid
}
