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
        _ permissions: Set<Permission>, scope: AccessScope = .everywhere, restriction: TokenRestriction? = nil,
        kind: PrincipalKind = .user, elevatedUntil: Int64? = nil, enrolled: Bool = false
    ) -> Principal {
        Principal(
            id: UUID(), kind: kind, name: "alice", groups: [], grants: Grants(permissions.map { ($0, scope) }),
            restriction: restriction, tokenID: "t", tokenExpiresAt: 0, elevatedUntil: elevatedUntil, secondFactorEnrolled: enrolled
        )
    }

    static func decide(_ requirement: AccessRequirement, for principal: Principal?, on target: AccessTarget, at now: Int64 = 0)
        -> AccessPolicy.Decision
    {
        AccessPolicy.decide(requirement, for: principal, on: target, at: now)
    }

    static func target(_ org: String?, _ ledger: String? = nil) -> AccessTarget { AccessTarget(organizationID: org, ledgerID: ledger) }
    static let denied = AccessPolicy.Decision.denied(StrongroomError(.permissionDenied, ""))
    static let outside = AccessPolicy.Decision.denied(StrongroomError(.outOfScope, ""))

    @Test func publicRoutesNeedNobody() {
        #expect(Self.decide(.publicRoute, for: nil, on: .none) == .allow)
    }

    @Test func everythingElseNeedsAPrincipal() {
        #expect(Self.decide(.authenticated(), for: nil, on: .none) == .unauthenticated)
        #expect(Self.decide(.permission(.usersRead), for: nil, on: .none) == .unauthenticated)
        #expect(Self.decide(.listing(.organizationsRead), for: nil, on: .none) == .unauthenticated)
    }

    @Test func permissionsAreDeniedByDefault() {
        let p = Self.principal([.transactionsRead])
        #expect(Self.decide(.permission(.transactionsRead), for: p, on: Self.target(Self.orgA, Self.ledgerA1)) == .allow)
        #expect(Self.decide(.permission(.transactionsCreate), for: p, on: Self.target(Self.orgA, Self.ledgerA1)) == Self.denied)
        #expect(Self.decide(.authenticated(), for: p, on: .none) == .allow)
    }

    @Test func aRestrictedTokenOpensOnlyWhatAllowsItsRestriction() {
        let p = Self.principal(PermissionCatalogue.all, restriction: .passwordChange)
        let restricted = AccessPolicy.Decision.denied(StrongroomError(.restrictedToken, ""))
        #expect(Self.decide(.authenticated(allowing: [.passwordChange]), for: p, on: .none) == .allow)
        #expect(Self.decide(.authenticated(), for: p, on: .none) == restricted)
        #expect(Self.decide(.permission(.usersRead), for: p, on: .none) == restricted)
        #expect(Self.decide(.listing(.organizationsRead), for: p, on: .none) == restricted)
        #expect(Self.decide(.authenticated(allowing: [.mfaEnrollment]), for: p, on: .none) == restricted)
    }

    @Test func anOrganizationGrantReachesOnlyThatOrganization() throws {
        let p = Self.principal([.accountsRead], scope: try #require(AccessScope(organizationID: Self.orgA, ledgerID: nil)))
        #expect(Self.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA)) == .allow)
        #expect(Self.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA, Self.ledgerA2)) == .allow)
        #expect(Self.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgB, Self.ledgerA1)) == Self.outside)
        // Nothing outside every organization: the administration routes need a global grant.
        #expect(Self.decide(.permission(.accountsRead), for: p, on: .none) == Self.outside)
        // Path ids compare case-insensitively, as they are stored lower-case.
        #expect(Self.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA.uppercased())) == .allow)
    }

    @Test func aLedgerGrantReachesOnlyThatLedger() throws {
        let p = Self.principal([.accountsRead], scope: try #require(AccessScope(organizationID: Self.orgA, ledgerID: Self.ledgerA1)))
        #expect(Self.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA, Self.ledgerA1)) == .allow)
        #expect(Self.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA, Self.ledgerA2)) == Self.outside)
        #expect(Self.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgA)) == Self.outside)
        // The same ledger id under another organization is another ledger.
        #expect(Self.decide(.permission(.accountsRead), for: p, on: Self.target(Self.orgB, Self.ledgerA1)) == Self.outside)
        #expect(AccessScope(organizationID: nil, ledgerID: Self.ledgerA1) == nil)
    }

    @Test func aListingOpensToAnyGrantAndNamesWhatItMayShow() throws {
        let scoped = Self.principal([.organizationsRead], scope: try #require(AccessScope(organizationID: Self.orgA, ledgerID: nil)))
        #expect(Self.decide(.listing(.organizationsRead), for: scoped, on: .none) == .allow)
        #expect(scoped.grants.organizations(for: .organizationsRead) == [Self.orgA])
        #expect(scoped.grants.organizations(for: .ledgersRead) == [])
        #expect(Self.principal([.organizationsRead]).grants.organizations(for: .organizationsRead) == nil)
        #expect(Self.decide(.listing(.organizationsRead), for: Self.principal([.ledgersRead]), on: .none) == Self.denied)
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
        // openapi.yaml's `PermissionName`: `^[a-z]+:[a-z]+(-[a-z]+)*$`.
        func letters(_ part: Substring) -> Bool { !part.isEmpty && part.allSatisfy { ("a"..."z").contains($0) } }
        for permission in PermissionCatalogue.all {
            let parts = permission.rawValue.split(separator: ":", omittingEmptySubsequences: false)
            let action = parts.last?.split(separator: "-", omittingEmptySubsequences: false) ?? []
            #expect(parts.count == 2 && letters(parts[0]) && action.allSatisfy(letters), "\(permission)")
        }
    }

    @Test func theSensitivePermissionsAreTheOnesThatChangeWhoMayDoWhatOrStopMoney() {
        #expect(
            PermissionCatalogue.sensitive == [
                .keysManage, .usersManage, .groupsManage, .clientsManage, .accountsFreeze, .controlsManage, .holdersReadPII, .holdersErase,
            ]
        )
    }

    static let stepUp = AccessPolicy.Decision.denied(StrongroomError(.stepUpRequired, ""))
    static let enrol = AccessPolicy.Decision.denied(StrongroomError(.secondFactorNotEnrolled, ""))

    @Test func aSensitivePermissionNeedsAStepUpThatHasNotRunOut() {
        let plain = Self.principal([.usersManage, .usersRead], enrolled: true)
        #expect(Self.decide(.permission(.usersManage), for: plain, on: .none, at: 1_000) == Self.stepUp)
        #expect(Self.decide(.permission(.usersRead), for: plain, on: .none, at: 1_000) == .allow)
        let stepped = Self.principal([.usersManage], elevatedUntil: 1_300, enrolled: true)
        #expect(Self.decide(.permission(.usersManage), for: stepped, on: .none, at: 1_299) == .allow)
        #expect(Self.decide(.permission(.usersManage), for: stepped, on: .none, at: 1_300) == Self.stepUp)
        #expect(Self.decide(.listing(.usersManage), for: stepped, on: .none, at: 1_300) == Self.stepUp)
        // Without an authenticator the way on is to enrol, and the refusal says so; a step-up
        // proved before the authenticator was reset no longer counts.
        #expect(Self.decide(.permission(.usersManage), for: Self.principal([.usersManage]), on: .none) == Self.enrol)
        let reset = Self.principal([.usersManage], elevatedUntil: 1_300, enrolled: false)
        #expect(Self.decide(.permission(.usersManage), for: reset, on: .none, at: 1_000) == Self.enrol)
        // Without the permission, step-up is not the caller's problem: the grant is.
        #expect(Self.decide(.permission(.keysManage), for: stepped, on: .none, at: 1_000) == Self.denied)
    }

    @Test func aMachineClientNeverUsesASensitivePermissionAndAnOutsideCallerStepsUpAtItsIssuer() {
        let client = Self.principal([.clientsManage, .accountsRead], kind: .client, elevatedUntil: 2_000)
        #expect(Self.decide(.permission(.clientsManage), for: client, on: .none, at: 1_000) == Self.stepUp)
        #expect(Self.decide(.permission(.accountsRead), for: client, on: .none, at: 1_000) == .allow)
        let outside = Self.principal([.accountsFreeze], kind: .external)
        #expect(Self.decide(.permission(.accountsFreeze), for: outside, on: .none, at: 1_000) == Self.stepUp)
        let steppedOutside = Self.principal([.accountsFreeze], kind: .external, elevatedUntil: 1_001)
        #expect(Self.decide(.permission(.accountsFreeze), for: steppedOutside, on: .none, at: 1_000) == .allow)
    }

    @Test func onlyAOneTimeCodeOrAnIssuersMFAIsASecondFactor() {
        let policy = StepUpPolicy(lifetimeSeconds: 300)
        #expect(policy.elevatedUntil(methods: ["pwd", "otp"], authenticatedAt: 1_000) == 1_300)
        #expect(policy.elevatedUntil(methods: ["mfa"], authenticatedAt: 1_000) == 1_300)
        #expect(policy.elevatedUntil(methods: ["pwd"], authenticatedAt: 1_000) == nil)
        #expect(policy.elevatedUntil(methods: ["pwd", "otp"], authenticatedAt: nil) == nil)
        #expect(policy.elevatedUntil(methods: [], authenticatedAt: 1_000) == nil)
        #expect(policy.elevatedUntil(methods: ["otp"], authenticatedAt: .max) == nil)
        #expect(StepUpPolicy(lifetimeSeconds: 5).lifetimeSeconds == StepUpPolicy.allowedLifetimes.lowerBound)
        #expect(StepUpPolicy(lifetimeSeconds: .max).lifetimeSeconds == StepUpPolicy.allowedLifetimes.upperBound)
    }
}
