import JWTKit

/// The claims of an outside issuer's token, as far as Strongroom reads them. Times are whole
/// seconds since the epoch (a fractional NumericDate is cut to the second).
///
/// Every other claim whose value is a string or an array of strings is kept by name, so that
/// the configured groups claim can be read whatever it is called.
public struct ExternalTokenClaims: JWTPayload, Equatable {
    public var issuer: String
    public var subject: String
    /// `aud` as a list: RFC 7519 allows a single string or an array.
    public var audience: [String]
    public var expiresAt: Int64
    public var issuedAt: Int64
    public var notBefore: Int64?
    public var tokenID: String?
    /// RFC 8176 authentication method references (`amr`), empty when absent.
    public var authenticationMethods: [String]
    /// When the caller authenticated (OpenID Connect's `auth_time`); nil when absent or not a
    /// NumericDate, which only costs the caller its step-up.
    public var authenticatedAt: Int64?
    public var stringClaims: [String: [String]]

    public init(
        issuer: String, subject: String, audience: [String], expiresAt: Int64, issuedAt: Int64, notBefore: Int64? = nil,
        tokenID: String? = nil, authenticationMethods: [String] = [], authenticatedAt: Int64? = nil,
        stringClaims: [String: [String]] = [:]
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.tokenID = tokenID
        self.authenticationMethods = authenticationMethods
        self.authenticatedAt = authenticatedAt
        self.stringClaims = stringClaims
    }

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let registered: Set<String> = ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "amr", "auth_time"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        issuer = try c.decode(String.self, forKey: Key("iss"))
        subject = try c.decode(String.self, forKey: Key("sub"))
        audience = try Self.strings(c, Key("aud")) ?? []
        expiresAt = try Self.seconds(c, Key("exp"))
        issuedAt = try Self.seconds(c, Key("iat"))
        notBefore = c.contains(Key("nbf")) ? try Self.seconds(c, Key("nbf")) : nil
        tokenID = try c.decodeIfPresent(String.self, forKey: Key("jti"))
        authenticationMethods = try Self.strings(c, Key("amr")) ?? []
        authenticatedAt = try? Self.seconds(c, Key("auth_time"))
        var others: [String: [String]] = [:]
        for key in c.allKeys where !Self.registered.contains(key.stringValue) {
            if let values = try? Self.strings(c, key) { others[key.stringValue] = values }
        }
        stringClaims = others
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(issuer, forKey: Key("iss"))
        try c.encode(subject, forKey: Key("sub"))
        try c.encode(audience, forKey: Key("aud"))
        try c.encode(expiresAt, forKey: Key("exp"))
        try c.encode(issuedAt, forKey: Key("iat"))
        try c.encodeIfPresent(notBefore, forKey: Key("nbf"))
        try c.encodeIfPresent(tokenID, forKey: Key("jti"))
        if !authenticationMethods.isEmpty { try c.encode(authenticationMethods, forKey: Key("amr")) }
        try c.encodeIfPresent(authenticatedAt, forKey: Key("auth_time"))
        for (name, values) in stringClaims where !Self.registered.contains(name) {
            try c.encode(values, forKey: Key(name))
        }
    }

    /// A string or an array of strings, as a list; nil when absent.
    private static func strings(_ c: KeyedDecodingContainer<Key>, _ key: Key) throws -> [String]? {
        guard c.contains(key) else { return nil }
        if let one = try? c.decode(String.self, forKey: key) { return [one] }
        return try c.decode([String].self, forKey: key)
    }

    private static func seconds(_ c: KeyedDecodingContainer<Key>, _ key: Key) throws -> Int64 {
        if let whole = try? c.decode(Int64.self, forKey: key), whole >= 0 { return whole }
        let value = try c.decode(Double.self, forKey: key)
        guard value.isFinite, value >= 0, value < 1e15 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not a NumericDate")
        }
        return Int64(value)
    }

    /// jwt-kit calls this after the signature checks out; `ExternalTokenVerifier` checks the
    /// claims itself against the injected clock and the configuration.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
