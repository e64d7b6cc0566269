import Identity

/// A bearer token whose signature and claims checked out: one of ours, or one of the
/// configured outside issuer's.
enum VerifiedToken: Sendable {
    case ours(AccessTokenClaims)
    case external(ExternalIdentity)

    /// The principal cache's key: our `jti`, or `ext:` and the token's digest.
    var tokenID: String {
        switch self {
        case .ours(let claims): claims.tokenID
        case .external(let identity): identity.tokenID
        }
    }

    /// Seconds since the epoch.
    var expiresAt: Int64 {
        switch self {
        case .ours(let claims): claims.expiresAt
        case .external(let identity): identity.expiresAt
        }
    }
}
