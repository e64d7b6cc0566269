import Foundation
import StrongroomKernel

/// Turns verified token claims into the caller as it is now: the user must still exist and
/// be active, and its permissions are its groups' current grants.
public enum PrincipalResolver {
    public static func resolve(claims: AccessTokenClaims, store: any IdentityStore) async throws -> Principal? {
        guard claims.kind == .user, let id = UUID(uuidString: claims.subject),
            let user = try await store.user(id: id), user.status == .active
        else { return nil }
        let groups = try await store.groups(ofUser: id)
        return Principal(
            id: user.id, kind: .user, name: user.username.value, groups: groups.map(\.name),
            permissions: groups.reduce(into: Set<Permission>()) { $0.formUnion($1.permissions) },
            restriction: claims.restriction, tokenID: claims.tokenID
        )
    }
}
