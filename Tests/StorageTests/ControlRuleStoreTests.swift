import Controls
import Foundation
import Identity
@testable import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// The control rule store on both backends (migration 9, `ControlRuleSchema`): a rule is
/// created at version 1, an update writes version 2 and keeps version 1, a disable clears
/// `active` and nothing else, the list pages in id order, and the versions cannot be
/// rewritten by any role.
@Suite("Control rule store")
struct ControlRuleStoreTests {
    static let organization = "0190a5b2-0000-7000-8000-000000000001"
    static let at = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)

    static func limit(_ alias: String, perTransaction: String = "100") -> ControlRuleDraft {
        ControlRuleDraft(kind: "limit", asset: "USD", accountAlias: alias, perTransaction: perTransaction)
    }

    static func rule(_ id: String, _ draft: ControlRuleDraft, organization: String = organization) -> StoredControlRule {
        StoredControlRule(
            id: id, organizationID: organization, definition: draft, version: 1, active: true, createdAt: at, createdBy: "user:maker",
            updatedAt: at, updatedBy: "user:maker"
        )
    }

    static func id(_ n: Int) -> String { String(format: "0190a5b2-0000-7000-8000-%012d", n) }

    @Test(arguments: TestBackend.available)
    func aRuleIsCreatedUpdatedToANewVersionListedAndDisabled(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let first = Self.rule(Self.id(1), Self.limit("@a"))
            try await persistence.write { work in
                try await work.controlRules.lock(organizationID: Self.organization)
                try await work.controlRules.create(first)
                try await work.controlRules.create(Self.rule(Self.id(2), Self.limit("@b")))
                try await work.controlRules.create(Self.rule(Self.id(3), Self.limit("@c"), organization: Self.id(99)))
            }
            let read = try #require(try await persistence.controlRules.find(id: Self.id(1), organizationID: Self.organization))
            #expect(read == first)
            #expect(try read.rule().effect == (try first.definition.validated(id: Self.id(1), version: 1, organizationID: Self.organization)).effect)
            // Another organization's id finds nothing.
            #expect(try await persistence.controlRules.find(id: Self.id(3), organizationID: Self.organization) == nil)

            let later = Self.at.adding(seconds: 60)
            let second = read.updated(to: Self.limit("@a", perTransaction: "250.50"), at: later, by: "user:checker")
            #expect(second.version == 2)
            #expect(try await persistence.write { try await $0.controlRules.update(second) })
            // A stale update (written against version 1 again) changes nothing.
            #expect(!(try await persistence.write { try await $0.controlRules.update(second) }))
            let now = try #require(try await persistence.controlRules.find(id: Self.id(1), organizationID: Self.organization))
            #expect(now.version == 2 && now.definition.perTransaction == "250.50" && now.updatedBy == "user:checker")
            #expect(now.createdAt == Self.at && now.createdBy == "user:maker")
            let old = try #require(try await persistence.controlRules.find(id: Self.id(1), organizationID: Self.organization, version: 1))
            #expect(old.definition.perTransaction == "100" && old.version == 1)
            #expect(try await persistence.controlRules.find(id: Self.id(1), organizationID: Self.organization, version: 2)?.definition == second.definition)
            #expect(try await persistence.controlRules.find(id: Self.id(1), organizationID: Self.organization, version: 3) == nil)

            let page = try await persistence.controlRules.list(organizationID: Self.organization, after: nil, limit: 1)
            #expect(page.map(\.id) == [Self.id(1)])
            let next = try await persistence.controlRules.list(organizationID: Self.organization, after: Self.id(1), limit: 5)
            #expect(next.map(\.id) == [Self.id(2)])
            #expect(try await persistence.controlRules.countActive(organizationID: Self.organization) == 2)

            #expect(try await persistence.write { try await $0.controlRules.disable(id: Self.id(2), organizationID: Self.organization, at: later, by: "user:x") })
            #expect(!(try await persistence.write { try await $0.controlRules.disable(id: Self.id(2), organizationID: Self.organization, at: later, by: "user:x") }))
            let disabled = try #require(try await persistence.controlRules.find(id: Self.id(2), organizationID: Self.organization))
            #expect(!disabled.active && disabled.version == 1)
            #expect(try await persistence.controlRules.countActive(organizationID: Self.organization) == 1)
            #expect(try await persistence.controlRules.active(organizationID: Self.organization).map(\.id) == [Self.id(1)])
            #expect(try await persistence.controlRules.list(organizationID: Self.organization, active: false, after: nil, limit: 9).map(\.id) == [Self.id(2)])

            // The versions are history: no role rewrites or removes one.
            for sql in ["UPDATE control_rule_versions SET definition = '{}'", "DELETE FROM control_rule_versions"] {
                await #expect(throws: (any Error).self, "\(sql)") {
                    try await persistence.database.transaction { try await $0.execute(sql) }
                }
            }
            #expect(try await persistence.controlRules.find(id: Self.id(1), organizationID: Self.organization, version: 1) != nil)
        }
    }

    /// PostgreSQL's service role may change only what moves: never a rule's organization or
    /// kind, never delete one.
    @Test(arguments: TestBackend.available.filter { $0 == .postgres })
    func theServiceRoleCannotMoveOrRemoveARule(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            try await persistence.write { try await $0.controlRules.create(Self.rule(Self.id(1), Self.limit("@a"))) }
            for sql in [
                "UPDATE control_rules SET organization_id = 'elsewhere'", "UPDATE control_rules SET kind = 'transaction_approval'",
                "DELETE FROM control_rules",
            ] {
                await #expect(throws: (any Error).self, "\(sql)") { try await persistence.database.direct.execute(sql) }
            }
            #expect(try await persistence.controlRules.countActive(organizationID: Self.organization) == 1)
        }
    }

    /// The approvers of a group: its active users whose membership has not lapsed.
    @Test(arguments: TestBackend.available)
    func theApproversOfAGroupAreItsActiveUnlapsedUsers(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let group = Group(id: UUID(), name: "checkers", permissions: [], scope: .everywhere, requiresMFA: false, builtIn: false, createdAt: Self.at)
            let users = (0..<4).map { _ in UUID() }
            try await persistence.write { work in
                try await work.identity.insertGroup(group)
                for (index, status) in [User.Status.active, .active, .disabled, .active].enumerated() {
                    let id = users[index]
                    try await work.identity.insertUser(User(
                        id: id, username: try Username("user\(index)"), passwordHash: PasswordHash(encoded: "x"), status: status,
                        mustChangePassword: false, createdAt: Self.at, updatedAt: Self.at
                    ))
                    // The last one's membership lapsed a second ago.
                    let expiries: [UUID: Timestamp] = index == 3 ? [group.id: Self.at.adding(seconds: -1)] : [:]
                    try await work.identity.setMemberships(principalID: id, kind: .user, groupIDs: [group.id], expiries: expiries)
                }
            }
            let approvers = try await persistence.controlRules.approvers(inGroup: "checkers", at: Self.at)
            #expect(approvers == Set(users.prefix(2).map { ApprovalParty.user(id: $0.uuidString.lowercased()) }))
            #expect(try await persistence.controlRules.approvers(inGroup: "nobody", at: Self.at) == nil)
        }
    }
}
