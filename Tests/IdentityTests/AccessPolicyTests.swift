import Foundation
import Identity
import StrongroomKernel
import Testing

@Suite("Access policy")
struct AccessPolicyTests {
    static func principal(_ permissions: Set<Permission>, restriction: TokenRestriction? = nil) -> Principal {
        Principal(id: UUID(), kind: .user, name: "alice", groups: [], permissions: permissions, restriction: restriction, tokenID: "t")
    }

    @Test func publicRoutesNeedNobody() {
        #expect(AccessPolicy.decide(.publicRoute, for: nil) == .allow)
    }

    @Test func everythingElseNeedsAPrincipal() {
        #expect(AccessPolicy.decide(.authenticated(), for: nil) == .unauthenticated)
        #expect(AccessPolicy.decide(.permission(.usersRead), for: nil) == .unauthenticated)
    }

    @Test func permissionsAreDeniedByDefault() {
        let p = Self.principal([.transactionsRead])
        #expect(AccessPolicy.decide(.permission(.transactionsRead), for: p) == .allow)
        #expect(AccessPolicy.decide(.permission(.transactionsCreate), for: p) == .denied(StrongroomError(.permissionDenied, .forbidden, "")))
        #expect(AccessPolicy.decide(.authenticated(), for: p) == .allow)
    }

    @Test func aRestrictedTokenOpensOnlyWhatAllowsItsRestriction() {
        let p = Self.principal(PermissionCatalogue.all, restriction: .passwordChange)
        #expect(AccessPolicy.decide(.authenticated(allowing: [.passwordChange]), for: p) == .allow)
        #expect(AccessPolicy.decide(.authenticated(), for: p) == .denied(StrongroomError(.restrictedToken, .forbidden, "")))
        #expect(AccessPolicy.decide(.permission(.usersRead), for: p) == .denied(StrongroomError(.restrictedToken, .forbidden, "")))
        #expect(AccessPolicy.decide(.authenticated(allowing: [.mfaEnrollment]), for: p) == .denied(StrongroomError(.restrictedToken, .forbidden, "")))
    }

    @Test func theCatalogueHasNoDuplicatesAndWellFormedNames() {
        #expect(PermissionCatalogue.all.count == PermissionCatalogue.entries.count)
        for permission in PermissionCatalogue.all {
            let parts = permission.rawValue.split(separator: ":")
            #expect(parts.count == 2, "\(permission)")
        }
    }
}
