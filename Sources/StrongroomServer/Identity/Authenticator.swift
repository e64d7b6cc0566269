import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Logging
import Storage
import StrongroomKernel

/// Turns a request's bearer token into a principal and applies the route's requirement.
///
/// Two caches keep this cheap without weakening it. Verified tokens, by the digest of their
/// bytes, for up to a minute and never past their expiry: a client presents one token for its
/// whole life, and its signature need not be checked on every request. Resolved principals,
/// by token id, for 5 seconds: a disabled user, a revoked token, a changed grant or a lapsed
/// membership or grant takes effect everywhere within 10 seconds, as API.md promises.
struct Authenticator: Sendable {
    static let principalLifetimeMicroseconds: Int64 = 5_000_000
    static let verifiedTokenLifetimeMicroseconds: Int64 = 60_000_000
    static let maxCachedEntries = 50_000

    let tokens: TokenAuthority
    let external: ExternalTokenAuthority?
    let persistence: Persistence
    /// Which groups an outside issuer's caller gets without a second factor.
    let secondFactor: SecondFactorPolicy
    /// How long a proved second factor opens the sensitive permissions.
    let stepUp: StepUpPolicy
    /// The server's time, against which a membership's or grant's `expires_at` is read.
    let clock: any WallClock
    private let principals: ExpiringCache<String, Principal>
    private let verified: ExpiringCache<SHA256Digest, VerifiedToken>

    init(
        tokens: TokenAuthority, external: ExternalTokenAuthority?, persistence: Persistence, secondFactor: SecondFactorPolicy,
        stepUp: StepUpPolicy, clock: any WallClock
    ) {
        self.tokens = tokens
        self.external = external
        self.persistence = persistence
        self.secondFactor = secondFactor
        self.stepUp = stepUp
        self.clock = clock
        principals = ExpiringCache(lifetimeMicroseconds: Self.principalLifetimeMicroseconds, maxEntries: Self.maxCachedEntries, clock: clock)
        verified = ExpiringCache(lifetimeMicroseconds: Self.verifiedTokenLifetimeMicroseconds, maxEntries: Self.maxCachedEntries, clock: clock)
    }

    init(prepared: ServerApp.Prepared, secondFactor: SecondFactorPolicy, stepUp: StepUpPolicy) {
        self.init(
            tokens: prepared.tokens, external: prepared.external, persistence: prepared.persistence,
            secondFactor: secondFactor, stepUp: stepUp, clock: prepared.clock
        )
    }

    /// The caller a request's bearer token names (nil on public routes, or when there is no
    /// valid token). Never throws for a bad token: the decision does.
    func authenticate(_ requirement: AccessRequirement, request: Request, context: AppRequestContext) async throws -> Principal? {
        if case .publicRoute = requirement { return nil }
        return try await principal(for: request, logger: context.logger)
    }

    /// Applies the route's requirement to the caller and the request's target: passes, or
    /// throws 401 / 403.
    func check(_ requirement: AccessRequirement, for principal: Principal?, on target: AccessTarget) throws {
        if case .publicRoute = requirement { return }
        switch AccessPolicy.decide(requirement, for: principal, on: target, at: clock.now().secondsSinceEpoch) {
        case .allow: return
        case .unauthenticated: throw StrongroomError.unauthenticated
        case .denied(let error): throw error
        }
    }

    private func principal(for request: Request, logger: Logger) async throws -> Principal? {
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else { return nil }
        let token = Self.credentials(afterScheme: header)
        let verifiedToken: VerifiedToken
        do {
            verifiedToken = try await verify(token)
        } catch {
            logger.debug("token refused", metadata: ["reason": "\(error)"])
            return nil
        }
        if let cached = principals[verifiedToken.tokenID] { return cached }
        let principal: Principal?
        switch verifiedToken {
        case .ours(let claims):
            principal = try await PrincipalResolver.resolve(claims: claims, store: persistence.identity, stepUp: stepUp, now: clock.now())
        case .external(let identity):
            principal = try await PrincipalResolver.resolve(
                external: identity, store: persistence.identity, secondFactor: secondFactor, stepUp: stepUp, now: clock.now()
            )
        }
        guard let principal else { return nil }
        principals.store(principal, for: verifiedToken.tokenID, until: verifiedToken.expiresAt)
        return principal
    }

    /// What follows `Bearer `, without the spaces and tabs around it (HTTP's optional white
    /// space). A token is ASCII, so bytes suffice; Foundation's `trimmingCharacters` went
    /// through `NSString` and was 3 % of the request handlers' samples.
    static func credentials(afterScheme header: String) -> String {
        let utf8 = header.utf8.dropFirst(7)
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = utf8.firstIndex(where: { !isBlank($0) }), let last = utf8.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(Substring(utf8[first...last]))
    }

    /// Our verifier, or the outside issuer's when the token says it is theirs; a token
    /// verified before is answered from the cache while it is unexpired.
    private func verify(_ token: String) async throws(AccessTokenService.Rejection) -> VerifiedToken {
        guard token.utf8.count <= max(AccessTokenService.maxTokenBytes, ExternalIssuer.maxTokenBytes) else { throw .tooLarge }
        let digest = SHA256.hash(data: Array(token.utf8))
        if let known = verified[digest] { return known }
        let fresh: VerifiedToken
        if let external, external.claimsIssuer(token) {
            fresh = .external(try await external.verify(token))
        } else {
            fresh = .ours(try await tokens.verify(token))
        }
        verified.store(fresh, for: digest, until: fresh.expiresAt)
        return fresh
    }
}
