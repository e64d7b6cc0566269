import Foundation

/// A caller an outside issuer vouched for, after its token was verified: enough to resolve
/// the principal, and nothing personal (the subject is kept only as the id derived from it).
public struct ExternalIdentity: Sendable, Equatable {
    public let principalID: UUID
    /// The subject at the issuer, for the principal's display name only.
    public let subject: String
    /// Strongroom group names the token's groups claim maps to.
    public let groupNames: [String]
    /// Whether the issuer says the caller proved a second factor (`amr` holds one of
    /// `StepUpPolicy.secondFactorMethods`).
    public let multiFactor: Bool
    /// When the caller authenticated, never later than the token's issue: what a step-up is
    /// counted from. Nil when the issuer did not say.
    public let authenticatedAt: Int64?
    /// Identifies this token in the principal cache: `ext:` and a digest of the token, never
    /// the issuer's `jti`, which another issuer (or we) could also use.
    public let tokenID: String
    public let expiresAt: Int64

    public init(
        principalID: UUID, subject: String, groupNames: [String], multiFactor: Bool, authenticatedAt: Int64? = nil, tokenID: String,
        expiresAt: Int64
    ) {
        self.principalID = principalID
        self.subject = subject
        self.groupNames = groupNames
        self.multiFactor = multiFactor
        self.authenticatedAt = authenticatedAt
        self.tokenID = tokenID
        self.expiresAt = expiresAt
    }
}
