import Foundation
import Identity
import StrongroomKernel
import Testing

/// Time-limited access as a pure decision (issue 25, item 4): which expiries may be set, and
/// which memberships and grants a principal resolves with at a given instant.
@Suite("Access expiry")
struct AccessExpiryTests {
    static let now = Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000)

    static func group(_ name: String, _ permissions: Set<Permission>, expiries: [Permission: Timestamp] = [:]) -> Group {
        Group(id: UUID(), name: name, permissions: permissions, builtIn: false, createdAt: now, permissionExpiries: expiries)
    }

    @Test func anExpiryMustBeAheadAndWithinTheMaximum() {
        #expect(AccessExpiry.refusal(of: Self.now.adding(seconds: 1), now: Self.now) == nil)
        #expect(AccessExpiry.refusal(of: Self.now.adding(seconds: AccessExpiry.maxDays * 86_400), now: Self.now) == nil)
        #expect(AccessExpiry.refusal(of: Self.now, now: Self.now) == .notInFuture)
        #expect(AccessExpiry.refusal(of: Self.now.adding(seconds: -60), now: Self.now) == .notInFuture)
        #expect(AccessExpiry.refusal(of: Self.now.adding(seconds: AccessExpiry.maxDays * 86_400 + 1), now: Self.now) == .tooFar)
    }

    @Test func accessLapsesAtItsInstantAndNeverWithoutOne() {
        let at = Self.now.adding(seconds: 60)
        #expect(AccessExpiry.isInForce(nil, at: Self.now.adding(seconds: 1_000_000_000)))
        #expect(AccessExpiry.isInForce(at, at: at.adding(microseconds: -1)))
        #expect(!AccessExpiry.isInForce(at, at: at))
        #expect(!AccessExpiry.isInForce(at, at: at.adding(seconds: 1)))
    }

    @Test func aLapsedGrantLeavesTheGroupsOtherPermissions() {
        let group = Self.group(
            "ops", [.transactionsCreate, .transactionsRead], expiries: [.transactionsCreate: Self.now.adding(seconds: 60)]
        )
        #expect(group.inForce(at: Self.now) == group)
        let later = group.inForce(at: Self.now.adding(seconds: 60))
        #expect(later.permissions == [.transactionsRead])
        #expect(later.permissionExpiries.isEmpty)
    }

    @Test func resolutionDropsLapsedMembershipsAndLapsedGrants() {
        let forever = Self.group("readers", [.transactionsRead])
        let brief = Self.group("writers", [.transactionsCreate])
        let partly = Self.group("auditors", [.auditRead, .usersRead], expiries: [.auditRead: Self.now.adding(seconds: 30)])
        let memberships = [
            Membership(group: forever, expiresAt: nil), Membership(group: brief, expiresAt: Self.now.adding(seconds: 10)),
            Membership(group: partly, expiresAt: nil),
        ]
        let before = Grants(groups: PrincipalResolver.inForce(memberships, at: Self.now))
        #expect(before.permissions == [.transactionsRead, .transactionsCreate, .auditRead, .usersRead])
        let between = PrincipalResolver.inForce(memberships, at: Self.now.adding(seconds: 10))
        #expect(between.map(\.name) == ["readers", "auditors"])
        #expect(Grants(groups: between).permissions == [.transactionsRead, .auditRead, .usersRead])
        let after = Grants(groups: PrincipalResolver.inForce(memberships, at: Self.now.adding(seconds: 30)))
        #expect(after.permissions == [.transactionsRead, .usersRead])
    }
}
