import Foundation
import Identity
import Storage
import StrongroomKernel

/// Issues what a successful authentication earns: an access token, and for a full user
/// login a refresh token that starts (or continues) a family with an absolute end.
struct SessionIssuer: Sendable {
    let tokens: TokenAuthority
    let clock: any WallClock
    let refreshLifetimeSeconds: Int64

    struct Session: Sendable {
        let access: AccessTokenService.Issued
        let refresh: SecretValue?
    }

    /// A user's login: restricted tokens get no refresh token.
    func start(userID: UUID, restriction: TokenRestriction?, store: any IdentityStore) async throws -> Session {
        let access = try await tokens.signer().issue(subject: userID, kind: .user, restriction: restriction)
        guard restriction == nil else { return Session(access: access, refresh: nil) }
        let now = clock.now()
        let family = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch + refreshLifetimeSeconds * 1_000_000)
        return Session(access: access, refresh: try await refresh(familyID: UUID(), userID: userID, familyExpiresAt: family, store: store))
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
