import Foundation
import Identity
import Storage
import StrongroomKernel

/// Issues what a successful authentication earns: an access token, and for a full user
/// login a refresh token that starts (or continues) a family with an absolute end. An access
/// token says what its holder proved to get it (`amr`, `auth_time`): a refreshed one proves
/// nothing new, so it never counts as stepped up.
struct SessionIssuer: Sendable {
    let tokens: TokenAuthority
    let clock: any WallClock
    let refreshLifetimeSeconds: Int64
    let stepUp: StepUpPolicy

    struct Session: Sendable {
        let access: AccessTokenService.Issued
        let refresh: SecretValue?
    }

    /// A user's login: restricted tokens get no refresh token. `usedCode` says a one-time code
    /// was proved with the password, which steps the token up for its first minutes.
    func start(userID: UUID, restriction: TokenRestriction?, usedCode: Bool, store: any IdentityStore) async throws -> Session {
        let proved = usedCode ? [StepUpPolicy.passwordMethod, StepUpPolicy.oneTimeCodeMethod] : [StepUpPolicy.passwordMethod]
        let access = try await tokens.signer().issue(subject: userID, kind: .user, restriction: restriction, proved: proved)
        guard restriction == nil else { return Session(access: access, refresh: nil) }
        let now = clock.now()
        let family = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch + refreshLifetimeSeconds * 1_000_000)
        return Session(access: access, refresh: try await refresh(familyID: UUID(), userID: userID, familyExpiresAt: family, store: store))
    }

    /// A step-up: a short access token for a user who just proved a one-time code on top of
    /// the session's password. No refresh token: a step-up is not renewed, it is proved again.
    func elevate(userID: UUID) async throws -> AccessTokenService.Issued {
        try await tokens.signer().issue(
            subject: userID, kind: .user, restriction: nil, proved: [StepUpPolicy.passwordMethod, StepUpPolicy.oneTimeCodeMethod],
            lifetimeSeconds: stepUp.lifetimeSeconds
        )
    }

    /// The next pair of a family whose previous token was just spent.
    func rotate(after spent: RefreshTokenRecord, store: any IdentityStore) async throws -> Session {
        let access = try await tokens.signer().issue(subject: spent.userID, kind: .user, restriction: nil)
        return Session(
            access: access,
            refresh: try await refresh(familyID: spent.familyID, userID: spent.userID, familyExpiresAt: spent.familyExpiresAt, store: store)
        )
    }

    private func refresh(familyID: UUID, userID: UUID, familyExpiresAt: Timestamp, store: any IdentityStore) async throws -> SecretValue {
        let token = OpaqueSecret.generate()
        try await store.insertRefreshToken(RefreshTokenRecord(
            tokenHash: OpaqueSecret.hash(token.revealed), familyID: familyID, userID: userID, issuedAt: clock.now(),
            familyExpiresAt: familyExpiresAt, spentAt: nil, revoked: false
        ))
        return token
    }
}
