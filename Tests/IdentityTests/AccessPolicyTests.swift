import Foundation
import Identity
import StrongroomKernel
import Testing

@Suite("Access policy")
struct AccessPolicyTests {
    static let orgA = "0193a0a0-0000-7000-8000-00000000000a"
    static let orgB = "0193a0a0-0000-7000-8000-00000000000b"
    static let ledgerA1 = "0193a0a0-0000-7000-8000-0000000000a1"
    static let ledgerA2 = "0193a0a0-0000-7000-8000-0000000000a2"

    static func principal(
        _ permissions: Set<Permission>, scope: AccessScope = .everywhere, restriction: TokenRestriction? = nil
    ) -> Principal {
        Principal(
            id: UUID(), kind: .user, name: "alice", groups: [], grants: Grants(permissions.map { ($0, scope) }),
            restriction: restriction, tokenID: "t", tokenExpiresAt: 0
        )
    }

    static func target(_ org: String?, _ ledger: String? = nil) -> AccessTarget { AccessTarget(organizationID: org, ledgerID: ledger) }
    static let denied = AccessPolicy.Decision.denied(StrongroomError(.permissionDenied, ""))
    static let outside = AccessPolicy.Decision.denied(StrongroomError(.outOfScope, ""))

    @Test func publicRoutesNeedNobody() {
        #expect(AccessPolicy.decide(.publicRoute, for: nil, on: .none) == .allow)
    }

    @Test func everythingElseNeedsAPrincipal() {
        #expect(AccessPolicy.decide(.authenticated(), for: nil, on: .none) == .unauthenticated)
        #expect(AccessPolicy.decide(.permission(.usersRead), for: nil, on: .none) == .unauthenticated)
        #expect(AccessPolicy.decide(.listing(.organizationsRead), for: nil, on: .none) == .unauthenticated)
    }

    @Test func permissionsAreDeniedByDefault() {
        let p = Self.principal([.transactionsRead])
        #expect(AccessPolicy.decide(.permission(.transactionsRead), for: p, on: Self.target(Self.orgA, Self.ledgerA1)) == .allow)
        #expect(AccessPolicy.decide(.permission(.transactionsCreate), for: p, on: Self.target(Self.orgA, Self.ledgerA1)) == Self.denied)
        #expect(AccessPolicy.decide(.authenticated(), for: p, on: .none) == .allow)
    }

    @Test func aRestrictedTokenOpensOnlyWhatAllowsItsRestriction() {
        let p = Self.principal(PermissionCatalogue.all, restriction: .passwordChange)
        let restricted = AccessPolicy.Decision.denied(StrongroomError(.restrictedToken, ""))
        #expect(AccessPolicy.decide(.authenticated(allowing: [.passwordChange]), for: p, on: .none) == .allow)
        #expect(AccessPolicy.decide(.authenticated(), for: p, on: .none) == restricted)
        #expect(AccessPolicy.decide(.permission(.usersRead), for: p, on: .none) == restricted)
        #expect(AccessPolicy.decide(.listing(.organizationsRead), for: p, on: .none) == restricted)
        #expect(AccessPolicy.decide(.authenticated(allowing: [.mfaEnrollment]), for: p, on: .none) == restricted)
    }

    @Test func anOrganizationGrantReachesOnlyThatOrganization() throws {
        let p = Self.principal([.accountsRead], scope: try #require(AccessScope(organizationID: Self.orgA, ledgerID: nil)))
        #expect(AccessPolicy.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA)) == .allow)
        #expect(AccessPolicy.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA, Self.ledgerA2)) == .allow)
        #expect(AccessPolicy.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgB, Self.ledgerA1)) == Self.outside)
        // Nothing outside every organization: the administration routes need a global grant.
        #expect(AccessPolicy.decide(.permission(.accountsRead), for: p, on: .none) == Self.outside)
        // Path ids compare case-insensitively, as they are stored lower-case.
        #expect(AccessPolicy.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA.uppercased())) == .allow)
    }

    @Test func aLedgerGrantReachesOnlyThatLedger() throws {
        let p = Self.principal([.accountsRead], scope: try #require(AccessScope(organizationID: Self.orgA, ledgerID: Self.ledgerA1)))
        #expect(AccessPolicy.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA, Self.ledgerA1)) == .allow)
        #expect(AccessPolicy.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA, Self.ledgerA2)) == Self.outside)
        #expect(AccessPolicy.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA)) == Self.outside)
        // The same ledger id under another organization is another ledger.
        #expect(AccessPolicy.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgB, Self.ledgerA1)) == Self.outside)
        #expect(AccessScope(organizationID: nil, ledgerID: Self.ledgerA1) == nil)
    }

    @Test func aListingOpensToAnyGrantAndNamesWhatItMayShow() throws {
        let scoped = Self.principal([.organizationsRead], scope: try #require(AccessScope(organizationID: Self.orgA, ledgerID: nil)))
        #expect(AccessPolicy.decide(.listing(.organizationsRead), for: scoped, on: .none) == .allow)
        #expect(scoped.grants.organizations(for: .organizationsRead) == [Self.orgA])
        #expect(scoped.grants.organizations(for: .ledgersRead) == [])
        #expect(Self.principal([.organizationsRead]).grants.organizations(for: .organizationsRead) == nil)
        #expect(AccessPolicy.decide(.listing(.organizationsRead), for: Self.principal([.ledgersRead]), on: .none) == Self.denied)
    }

    @Test func anAdministratorHandsOutOnlyWhatItHoldsAndNoWider() throws {
        let inA = try #require(AccessScope(organizationID: Self.orgA, ledgerID: nil))
        let inA1 = try #require(AccessScope(organizationID: Self.orgA, ledgerID: Self.ledgerA1))
        let inB = try #require(AccessScope(organizationID: Self.orgB, ledgerID: nil))
        let grants = Self.principal([.accountsRead], scope: inA).grants
        #expect(grants.covers(.accountsRead, in: inA))
        #expect(grants.covers(.accountsRead, in: inA1))
        #expect(!grants.covers(.accountsRead, in: inB))
        #expect(!grants.covers(.accountsRead, in: .everywhere))
        #expect(!grants.covers(.accountsWrite, in: inA))
        #expect(Self.principal([.accountsRead]).grants.covers(.accountsRead, in: .everywhere))
    }

    @Test func theCatalogueHasNoDuplicatesAndWellFormedNames() {
        #expect(PermissionCatalogue.all.count == PermissionCatalogue.entries.count)
        for permission in PermissionCatalogue.all {
            let parts = permission.rawValue.split(separator: ":")
            #expect(parts.count == 2, "\(permission)")
        }
    }
}
