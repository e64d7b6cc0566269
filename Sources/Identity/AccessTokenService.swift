import Foundation
import JWTKit
import StrongroomKernel

/// Issues and verifies access tokens: EdDSA-signed JWTs with `typ: at+jwt`.
///
/// The verifier pins everything it can before the library sees the token: the algorithm,
/// the type, a known `kid`, the size. Then the signature, then every claim against the
/// injected clock. Any failure is the same `unauthenticated` to the caller.
public struct AccessTokenService: Sendable {
    /// Longer than any token this service issues; anything bigger is refused unparsed.
    public static let maxTokenBytes = 2048

    public let settings: TokenSettings
    private let keyring: SigningKeyring
    private let clock: any WallClock

    public init(settings: TokenSettings, keyring: SigningKeyring, clock: any WallClock) {
        self.settings = settings
        self.keyring = keyring
        self.clock = clock
    }

    public var jwks: [[String: String]] { keyring.jwks }

    public struct Issued: Sendable {
        public let token: SecretValue
        public let expiresIn: Int64
        public let claims: AccessTokenClaims
    }

    /// `proved` lists the authentication methods the holder proved just now (`amr`, with
    /// `auth_time` now); nil for a token that proves none (a refreshed one, a client's).
    /// `lifetimeSeconds` shortens an unrestricted token's life (a step-up's).
    public func issue(
        subject: UUID, kind: PrincipalKind, restriction: TokenRestriction?, proved: [String]? = nil, lifetimeSeconds: Int64? = nil
    ) async throws -> Issued {
        let now = clock.now().secondsSinceEpoch
        let lifetime =
            restriction == nil
            ? min(lifetimeSeconds ?? settings.accessLifetimeSeconds, settings.accessLifetimeSeconds)
            : TokenSettings.restrictedLifetimeSeconds
        var claims = AccessTokenClaims(
            issuer: settings.issuer, audience: settings.audience, subject: subject.uuidString.lowercased(),
            expiresAt: now + lifetime, issuedAt: now, notBefore: now, tokenID: UUID().uuidString.lowercased(),
            kind: kind, restriction: restriction
        )
        if let proved {
            claims.authenticationMethods = proved
            claims.authenticatedAt = now
        }
        guard let key = keyring.keys[keyring.signingKid] else { throw IdentityFailure.noSigningKey }
        let token = try await key.collection.sign(
            claims,
            kid: JWKIdentifier(string: key.kid),
            header: ["typ": .string(TokenSettings.accessTokenType), "alg": .string("EdDSA")]
        )
        return Issued(token: SecretValue(token), expiresIn: lifetime, claims: claims)
    }

    /// Why a token was refused, for debug logs and tests; callers only ever see 401.
    public enum Rejection: Error, Sendable, Equatable {
        case malformed
        case tooLarge
        case wrongAlgorithm
        case wrongType
        case unknownKey
        case badSignature
        case wrongIssuer
        case wrongAudience
        case expired
        case notYetValid
        case issuedInFuture
        case lifetimeTooLong
        case badSubject
    }

    public func verify(_ token: String) async throws(Rejection) -> AccessTokenClaims {
        guard token.utf8.count <= Self.maxTokenBytes else { throw .tooLarge }
        guard let jwt = CompactJWT(token) else { throw .malformed }
        guard jwt.algorithm == "EdDSA" else { throw .wrongAlgorithm }
        guard jwt.type == TokenSettings.accessTokenType else { throw .wrongType }
        guard !jwt.hasCriticalExtensions else { throw .malformed }
        guard let kid = jwt.keyID, let key = keyring.keys[kid] else { throw .unknownKey }

        let claims: AccessTokenClaims
        do {
            claims = try await key.collection.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw .badSignature
        }
        guard claims.issuer == settings.issuer else { throw .wrongIssuer }
        guard claims.audience == settings.audience else { throw .wrongAudience }
        try TokenTimes(expiresAt: claims.expiresAt, issuedAt: claims.issuedAt, notBefore: claims.notBefore)
            .check(at: clock.now().secondsSinceEpoch, maxLifetime: TokenSettings.allowedAccessLifetimes.upperBound)
        guard UUID(uuidString: claims.subject) != nil, !claims.tokenID.isEmpty else { throw .badSubject }
        return claims
    }
}
