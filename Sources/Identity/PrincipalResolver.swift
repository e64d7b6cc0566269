import Foundation
import StrongroomKernel

/// Turns verified token claims into the caller as it is now: the token not revoked, the
/// user active (or the client not deleted), and its grants its groups' current ones.
public enum PrincipalResolver {
    public static func resolve(claims: AccessTokenClaims, store: any IdentityStore) async throws -> Principal? {
        guard let id = UUID(uuidString: claims.subject), !(try await store.isAccessTokenRevoked(tokenID: claims.tokenID)) else {
            return nil
        }
        let name: String
        switch claims.kind {
        case .user:
            guard let user = try await store.user(id: id), user.status == .active else { return nil }
            name = user.username.value
        case .client:
            // Client tokens are never restricted: a restricted claim on one is a forgery.
            guard claims.restriction == nil, let client = try await store.client(id: id), client.status == .active else { return nil }
            name = client.name
        }
        let groups = try await store.groups(of: id, kind: claims.kind)
        return Principal(
            id: id, kind: claims.kind, name: name, groups: groups.map(\.name), grants: Grants(groups: groups),
            restriction: claims.restriction, tokenID: claims.tokenID, tokenExpiresAt: claims.expiresAt
        )
    }
}
