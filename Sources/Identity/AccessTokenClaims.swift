import JWTKit

/// The claims of a Strongroom access token. Times are whole seconds since the epoch.
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var issuer: String
    public var audience: String
    public var subject: String
    public var expiresAt: Int64
    public var issuedAt: Int64
    public var notBefore: Int64
    public var tokenID: String
    public var kind: PrincipalKind
    public var restriction: TokenRestriction?
    /// RFC 8176 authentication methods the token's holder proved when it was issued: `pwd`,
    /// and `otp` when a one-time code was entered too. Absent on a refreshed or a machine
    /// client's token, which prove neither.
    public var authenticationMethods: [String]?
    /// When those methods were proved (OpenID Connect's `auth_time`), seconds since the epoch.
    public var authenticatedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case issuer = "iss"
        case audience = "aud"
        case subject = "sub"
        case expiresAt = "exp"
        case issuedAt = "iat"
        case notBefore = "nbf"
        case tokenID = "jti"
        case kind = "knd"
        case restriction = "rst"
        case authenticationMethods = "amr"
        case authenticatedAt = "auth_time"
    }

    /// jwt-kit calls this after the signature checks out. Time and audience checks need the
    /// injected clock and configuration, so `AccessTokenVerifier` does them itself.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
