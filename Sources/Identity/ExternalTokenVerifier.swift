import Crypto
import Foundation
import JWTKit
import StrongroomKernel

/// Verifies access tokens of an outside issuer against its key set, as strictly as our own:
/// the header is pinned before the library sees the token (a known `kid`, that key's one
/// algorithm, an accepted `typ`, no `crit`), then the signature, then every claim against the
/// injected clock.
public struct ExternalTokenVerifier: Sendable {
    public let issuer: ExternalIssuer
    private let keys: ExternalKeySet
    private let clock: any WallClock

    public init(issuer: ExternalIssuer, keys: ExternalKeySet, clock: any WallClock) {
        self.issuer = issuer
        self.keys = keys
        self.clock = clock
    }

    public func verify(_ token: String) async throws(AccessTokenService.Rejection) -> ExternalIdentity {
        guard token.utf8.count <= ExternalIssuer.maxTokenBytes else { throw .tooLarge }
        guard let jwt = CompactJWT(token) else { throw .malformed }
        guard !jwt.hasCriticalExtensions else { throw .malformed }
        guard let kid = jwt.keyID, let key = keys.keys[kid] else { throw .unknownKey }
        guard jwt.algorithm == key.algorithm else { throw .wrongAlgorithm }
        guard issuer.accepts(type: jwt.type) else { throw .wrongType }

        let claims: ExternalTokenClaims
        do {
            claims = try await key.collection.verify(token, as: ExternalTokenClaims.self)
        } catch {
            throw .badSignature
        }
        guard claims.issuer == issuer.issuer else { throw .wrongIssuer }
        guard claims.audience.contains(issuer.audience) else { throw .wrongAudience }
        try TokenTimes(expiresAt: claims.expiresAt, issuedAt: claims.issuedAt, notBefore: claims.notBefore ?? claims.issuedAt)
            .check(at: clock.now().secondsSinceEpoch, maxLifetime: issuer.maxLifetimeSeconds)
        guard !claims.subject.isEmpty else { throw .badSubject }
        return ExternalIdentity(
            principalID: issuer.principalID(subject: claims.subject),
            subject: claims.subject,
            groupNames: issuer.groupNames(for: claims.stringClaims[issuer.groupsClaim] ?? []),
            multiFactor: claims.authenticationMethods.contains(where: StepUpPolicy.secondFactorMethods.contains),
            // An authentication after the token's issue would stretch a step-up past what the
            // issuer vouched for.
            authenticatedAt: claims.authenticatedAt.map { min($0, claims.issuedAt) },
            tokenID: "ext:" + Hex.string(Array(SHA256.hash(data: Array(token.utf8)))),
            expiresAt: claims.expiresAt
        )
    }
}

extension ExternalTokenVerifier {
    /// Whether the token's (unverified) `iss` is this issuer: which verifier to ask, nothing
    /// more. The verifier checks `iss` again after the signature.
    public func isIssuer(of token: String) -> Bool {
        token.utf8.count <= ExternalIssuer.maxTokenBytes && CompactJWT(token)?.claimedIssuer == issuer.issuer
    }
}
