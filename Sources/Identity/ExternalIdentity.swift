import Foundation

/// A caller an outside issuer vouched for, after its token was verified: enough to resolve
/// the principal, and nothing personal (the subject is kept only as the id derived from it).
public struct ExternalIdentity: Sendable, Equatable {
    public let principalID: UUID
    /// The subject at the issuer, for the principal's display name only.
    public let subject: String
    /// Strongroom group names the token's groups claim maps to.
    public let groupNames: [String]
    /// Whether the issuer says the caller used more than one factor (`amr` holds `mfa`).
    public let multiFactor: Bool
    /// Identifies this token in the principal cache: `ext:` and a digest of the token, never
    /// the issuer's `jti`, which another issuer (or we) could also use.
    public let tokenID: String
    public let expiresAt: Int64

    public init(principalID: UUID, subject: String, groupNames: [String], multiFactor: Bool, tokenID: String, expiresAt: Int64) {
        self.principalID = principalID
        self.subject = subject
        self.groupNames = groupNames
        self.multiFactor = multiFactor
        self.tokenID = tokenID
        self.expiresAt = expiresAt
    }
}
