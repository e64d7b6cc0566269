/// What tokens say about who issued them and for whom, and how long they live.
public struct TokenSettings: Sendable, Equatable {
    /// RFC 9068's media type for JWT access tokens; a token of any other `typ` is refused,
    /// so an ID token or some other JWT signed by the same key cannot pass as an access token.
    public static let accessTokenType = "at+jwt"
    public static let allowedAccessLifetimes: ClosedRange<Int64> = 300...900
    public static let restrictedLifetimeSeconds: Int64 = 300
    /// Tolerated clock difference between processes, for `nbf` and `iat`.
    public static let clockSkewSeconds: Int64 = 5

    public let issuer: String
    public let audience: String
    public let accessLifetimeSeconds: Int64

    public init(issuer: String, audience: String, accessLifetimeSeconds: Int64) {
        precondition(Self.allowedAccessLifetimes.contains(accessLifetimeSeconds))
        self.issuer = issuer
        self.audience = audience
        self.accessLifetimeSeconds = accessLifetimeSeconds
    }
}
