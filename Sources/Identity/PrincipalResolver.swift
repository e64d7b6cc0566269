import Foundation
import StrongroomKernel

/// Turns verified token claims into the caller as it is now: the token not revoked, the
/// user active (or the client not deleted), and its grants its groups' current ones. A
/// membership or grant whose `expires_at` is not after `now` counts as gone. `stepUp` reads
/// how long the second factor a token proved keeps it stepped up.
public enum PrincipalResolver {
    public static func resolve(
        claims: AccessTokenClaims, store: any IdentityStore, stepUp: StepUpPolicy, now: Timestamp
    ) async throws -> Principal? {
        guard let id = UUID(uuidString: claims.subject), !(try await store.isAccessTokenRevoked(tokenID: claims.tokenID)) else {
            return nil
        }
        let name: String
        var enrolled = false
        switch claims.kind {
        case .external:
            // Our keys never sign an outside caller's token: such a claim is a forgery.
            return nil
        case .user:
            guard let user = try await store.user(id: id), user.status == .active else { return nil }
            name = user.username.value
            enrolled = user.mfaEnrolled
        case .client:
            // Client tokens are never restricted: a restricted claim on one is a forgery.
            guard claims.restriction == nil, let client = try await store.client(id: id), client.status == .active else { return nil }
            name = client.name
        }
        let groups = inForce(try await store.memberships(of: id, kind: claims.kind), at: now)
        return Principal(
            id: id, kind: claims.kind, name: name, groups: groups.map(\.name), grants: Grants(groups: groups),
            restriction: claims.restriction, tokenID: claims.tokenID, tokenExpiresAt: claims.expiresAt,
            elevatedUntil: stepUp.elevatedUntil(methods: claims.authenticationMethods ?? [], authenticatedAt: claims.authenticatedAt),
            secondFactorEnrolled: enrolled
        )
    }

    /// The principal of an outside issuer's caller: the Strongroom groups its token maps to
    /// that exist, less those that need a second factor when the issuer does not say one was
    /// used (`secondFactor` decides which: a group's `require_mfa`, `administrators` in
    /// production, and every group when every person must use one).
    public static func resolve(
        external identity: ExternalIdentity, store: any IdentityStore, secondFactor: SecondFactorPolicy, stepUp: StepUpPolicy,
        now: Timestamp
    ) async throws -> Principal {
        var groups: [Group] = []
        for name in identity.groupNames {
            if let group = try await store.group(name: name) { groups.append(group.inForce(at: now)) }
        }
        let granted = secondFactor.grantedGroups(groups, multiFactor: identity.multiFactor)
        return Principal(
            id: identity.principalID, kind: .external, name: identity.subject, groups: granted.map(\.name),
            grants: Grants(groups: granted), restriction: nil, tokenID: identity.tokenID, tokenExpiresAt: identity.expiresAt,
            elevatedUntil: identity.multiFactor ? stepUp.elevatedUntil(secondFactorAt: identity.authenticatedAt) : nil
        )
    }

    /// The groups of the memberships in force at `now`, each less its lapsed grants.
    public static func inForce(_ memberships: [Membership], at now: Timestamp) -> [Group] {
        memberships.filter { $0.isInForce(at: now) }.map { $0.group.inForce(at: now) }
    }
}
