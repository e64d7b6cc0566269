import Controls
import Foundation
import StrongroomKernel

/// The control rules (`control_rules`, `control_rule_versions`: `ControlRuleSchema`), read
/// directly or written in a unit of work. Every change of a rule writes its current row and,
/// for a new definition, its version row in the caller's transaction, with the audit record.
public struct ControlRuleRecords: Sendable {
    let executor: any SQLExecutor

    /// The advisory lock class that orders the rule changes of one organization, with the
    /// hash of its id as the key: the count of active rules is read and a rule added under
    /// it, so two creates cannot both take the 1,000th place.
    static let organizationLockClass: Int32 = 0x5352_4352  // "SRCR"

    private static let columns =
        "id, organization_id, definition, version, active, created_at, created_by, updated_at, updated_by"

    /// Holds the organization's rules still until the unit of work ends (PostgreSQL; SQLite
    /// runs one unit of work at a time). Take it before counting or changing its rules.
    public func lock(organizationID: String) async throws {
        guard executor.dialect == .postgres else { return }
        try await executor.execute(
            "SELECT pg_advisory_xact_lock(\(Self.organizationLockClass), hashtext($1)) IS NULL", [.text(organizationID)]
        )
    }

    /// Inserts a new rule and its first version.
    public func create(_ rule: StoredControlRule) async throws {
        let definition = try Self.text(rule.definition)
        try await executor.execute(
            "INSERT INTO control_rules (\(Self.columns), ledger_id, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            [
                .text(rule.id), .text(rule.organizationID), .text(definition), .int(Int64(clamping: rule.version)), .bool(rule.active),
                .time(rule.createdAt), .text(rule.createdBy), .time(rule.updatedAt), .text(rule.updatedBy), .optional(rule.ledgerID),
                .text(rule.kind),
            ]
        )
        try await insertVersion(rule, definition: definition)
    }

    /// Stores `rule` (from `StoredControlRule.updated`) as the rule's new current version,
    /// if the stored one is still the version before it; false when it is not (another
    /// change came first) or the rule is gone.
    public func update(_ rule: StoredControlRule) async throws -> Bool {
        let definition = try Self.text(rule.definition)
        let changed = try await executor.query(
            """
            UPDATE control_rules SET definition = $1, ledger_id = $2, version = $3, updated_at = $4, updated_by = $5
            WHERE id = $6 AND organization_id = $7 AND version = $8 RETURNING id
            """,
            [
                .text(definition), .optional(rule.ledgerID), .int(Int64(clamping: rule.version)), .time(rule.updatedAt), .text(rule.updatedBy),
                .text(rule.id), .text(rule.organizationID), .int(Int64(clamping: rule.version - 1)),
            ]
        )
        guard !changed.isEmpty else { return false }
        try await insertVersion(rule, definition: definition)
        return true
    }

    /// Clears the rule's `active` flag; false when there is no such active rule. Its version
    /// stays: the definition did not change.
    public func disable(id: String, organizationID: String, at: Timestamp, by: String) async throws -> Bool {
        try await !executor.query(
            """
            UPDATE control_rules SET active = $1, updated_at = $2, updated_by = $3
            WHERE id = $4 AND organization_id = $5 AND active = $6 RETURNING id
            """,
            [.bool(false), .time(at), .text(by), .text(id), .text(organizationID), .bool(true)]
        ).isEmpty
    }

    /// The rule as it stands now, in its organization.
    public func find(id: String, organizationID: String) async throws -> StoredControlRule? {
        try await executor.queryOne(
            "SELECT \(Self.columns) FROM control_rules WHERE id = $1 AND organization_id = $2", [.text(id), .text(organizationID)]
        ).map(Self.decode)
    }

    /// The rule as it was at `version`, with its active flag as it is now.
    public func find(id: String, organizationID: String, version: Int) async throws -> StoredControlRule? {
        try await executor.queryOne(
            """
            SELECT r.id, r.organization_id, v.definition, v.version, r.active, r.created_at, r.created_by,
                v.made_at AS updated_at, v.made_by AS updated_by
            FROM control_rule_versions v JOIN control_rules r ON r.id = v.rule_id
            WHERE v.rule_id = $1 AND r.organization_id = $2 AND v.version = $3
            """,
            [.text(id), .text(organizationID), .int(Int64(clamping: version))]
        ).map(Self.decode)
    }

    /// The organization's rules in id order (creation order: ids are UUIDv7), after `cursor`
    /// when given, at most `limit`; only active or only disabled ones when `active` says.
    public func list(organizationID: String, active: Bool? = nil, after cursor: String?, limit: Int) async throws -> [StoredControlRule] {
        var conditions = ["organization_id = $1", "id > $2"]
        var binds: [SQLValue] = [.text(organizationID), .text(cursor ?? "")]
        if let active {
            binds.append(.bool(active))
            conditions.append("active = $\(binds.count)")
        }
        return try await executor.query(
            "SELECT \(Self.columns) FROM control_rules WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT \(max(limit, 0))",
            binds
        ).map(Self.decode)
    }

    /// How many active rules the organization has.
    public func countActive(organizationID: String) async throws -> Int {
        let row = try await executor.queryOne(
            "SELECT COUNT(*) AS n FROM control_rules WHERE organization_id = $1 AND active = $2", [.text(organizationID), .bool(true)]
        )
        return Int(clamping: try row?.int("n") ?? 0)
    }

    /// Every active rule of the organization, in id order: what a posting is decided by.
    public func active(organizationID: String) async throws -> [StoredControlRule] {
        try await executor.query(
            "SELECT \(Self.columns) FROM control_rules WHERE organization_id = $1 AND active = $2 ORDER BY id",
            [.text(organizationID), .bool(true)]
        ).map(Self.decode)
    }

    /// The people who could approve under a rule naming the group `name`: its active users
    /// whose membership has not lapsed at `now`, as approval parties; nil when no group has
    /// that name. Machine clients are left out, since they never approve. Read here rather
    /// than through `IdentityStore` because only maker-checker asks it, and it reads the
    /// identity tables in the rule's own unit of work. An outside issuer's callers reach a
    /// group through their token's claims, not a stored membership, so none is counted.
    public func approvers(inGroup name: String, at now: Timestamp) async throws -> Set<ApprovalParty>? {
        guard let group = try await executor.queryOne("SELECT id FROM identity_groups WHERE name = $1", [.text(name)]) else { return nil }
        let rows = try await executor.query(
            """
            SELECT u.id FROM identity_memberships m JOIN identity_users u ON u.id = m.user_id
            WHERE m.group_id = $1 AND u.status = 'active' AND (m.expires_at IS NULL OR m.expires_at > $2)
            """,
            [.text(try group.text("id")), .time(now)]
        )
        return Set(try rows.map { ApprovalParty.user(id: try $0.text("id")) })
    }

    private func insertVersion(_ rule: StoredControlRule, definition: String) async throws {
        try await executor.execute(
            """
            INSERT INTO control_rule_versions (rule_id, version, organization_id, ledger_id, kind, definition, made_at, made_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [
                .text(rule.id), .int(Int64(clamping: rule.version)), .text(rule.organizationID), .optional(rule.ledgerID), .text(rule.kind),
                .text(definition), .time(rule.updatedAt), .text(rule.updatedBy),
            ]
        )
    }

    /// The definition as stored: JSON with sorted keys, so equal drafts are equal text.
    static func text(_ draft: ControlRuleDraft) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(draft), as: UTF8.self)
    }

    private static func decode(_ row: SQLRow) throws -> StoredControlRule {
        let text = try row.text("definition")
        let definition: ControlRuleDraft
        do {
            definition = try JSONDecoder().decode(ControlRuleDraft.self, from: Data(text.utf8))
        } catch {
            throw StorageError.decoding("control rule \(try row.text("id")) has a definition that is not a rule's JSON")
        }
        guard let version = Int(exactly: try row.int("version")) else { throw StorageError.decoding("control rule version out of range") }
        return StoredControlRule(
            id: try row.text("id"), organizationID: try row.text("organization_id"), definition: definition,
            version: version, active: try row.bool("active"), createdAt: try row.timestamp("created_at"),
            createdBy: try row.text("created_by"), updatedAt: try row.timestamp("updated_at"), updatedBy: try row.text("updated_by")
        )
    }
}
