import Foundation
import Identity
import StrongroomKernel

/// `IdentityStore` in SQL that both backends run unchanged.
struct SQLIdentityStore: IdentityStore {
    let executor: any SQLExecutor

    private static let userColumns = "id, username, password_hash, status, must_change_password, totp_confirmed, created_at, updated_at"
    private static let groupColumns = "id, name, built_in, scope_organization_id, scope_ledger_id, requires_mfa, created_at"

    func countUsers() async throws -> Int {
        Int(try await executor.queryOne("SELECT COUNT(*) AS n FROM identity_users")?.int("n") ?? 0)
    }

    func insertUser(_ user: User) async throws {
        do {
            try await executor.execute(
                "INSERT INTO identity_users (\(Self.userColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                [
                    .text(user.id.storageText), .text(user.username.value), .text(user.passwordHash.encoded),
                    .text(user.status.rawValue), .bool(user.mustChangePassword), .bool(false),
                    .int(user.createdAt.microsecondsSinceEpoch), .int(user.updatedAt.microsecondsSinceEpoch),
                ]
            )
        } catch is UniqueViolation {
            throw StrongroomError.usernameTaken
        }
    }

    func user(id: UUID) async throws -> User? {
        try await executor.queryOne("SELECT \(Self.userColumns) FROM identity_users WHERE id = $1", [.text(id.storageText)])
            .map(Self.decodeUser)
    }

    func user(username: Username) async throws -> User? {
        try await executor.queryOne(
            "SELECT \(Self.userColumns) FROM identity_users WHERE username = $1", [.text(username.value)]
        ).map(Self.decodeUser)
    }

    func users(after cursor: UUID?, limit: Int) async throws -> [User] {
        try await executor.query(
            "SELECT \(Self.userColumns) FROM identity_users WHERE id > $1 ORDER BY id LIMIT \(max(1, limit))",
            [.text(cursor?.storageText ?? "")]
        ).map(Self.decodeUser)
    }

    func updateStatus(userID: UUID, status: User.Status, at: Timestamp) async throws {
        try await executor.execute(
            "UPDATE identity_users SET status = $1, updated_at = $2 WHERE id = $3",
            [.text(status.rawValue), .int(at.microsecondsSinceEpoch), .text(userID.storageText)]
        )
    }

    func updatePassword(userID: UUID, hash: PasswordHash, mustChangePassword: Bool, at: Timestamp) async throws {
        try await executor.execute(
            "UPDATE identity_users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4",
            [.text(hash.encoded), .bool(mustChangePassword), .int(at.microsecondsSinceEpoch), .text(userID.storageText)]
        )
    }

    func ensureGroup(_ group: Group) async throws -> Group {
        let inserted = try await executor.query(
            """
            INSERT INTO identity_groups (\(Self.groupColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (name) DO NOTHING RETURNING id
            """,
            Self.groupBinds(group)
        )
        if !inserted.isEmpty { try await insertPermissions(of: group) }
        guard let stored = try await self.group(name: group.name) else {
            throw StorageError.decoding("group \(group.name) vanished after it was ensured")
        }
        return stored
    }

    func insertGroup(_ group: Group) async throws {
        let inserted = try await executor.query(
            """
            INSERT INTO identity_groups (\(Self.groupColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (name) DO NOTHING RETURNING id
            """,
            Self.groupBinds(group)
        )
        guard !inserted.isEmpty else { throw StrongroomError.groupNameTaken }
        try await insertPermissions(of: group)
    }

    func updateGroup(_ group: Group) async throws {
        try await executor.execute(
            "UPDATE identity_groups SET scope_organization_id = $1, scope_ledger_id = $2, requires_mfa = $3 WHERE id = $4",
            [
                group.scope.organizationID.map(SQLValue.text) ?? .null, group.scope.ledgerID.map(SQLValue.text) ?? .null,
                .bool(group.requiresMFA), .text(group.id.storageText),
            ]
        )
        try await executor.execute("DELETE FROM identity_group_permissions WHERE group_id = $1", [.text(group.id.storageText)])
        try await insertPermissions(of: group)
    }

    func addPermissions(_ permissions: Set<Permission>, toGroup groupID: UUID) async throws -> Set<Permission> {
        var added: Set<Permission> = []
        // ON CONFLICT: two processes starting at once may both add; each row is added once.
        for permission in permissions.sorted() {
            let inserted = try await executor.query(
                "INSERT INTO identity_group_permissions (group_id, permission) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING permission",
                [.text(groupID.storageText), .text(permission.rawValue)]
            )
            if !inserted.isEmpty { added.insert(permission) }
        }
        return added
    }

    private func insertPermissions(of group: Group) async throws {
        for permission in group.permissions.sorted() {
            try await executor.execute(
                "INSERT INTO identity_group_permissions (group_id, permission, expires_at) VALUES ($1, $2, $3)",
                [.text(group.id.storageText), .text(permission.rawValue), Self.expiry(group.permissionExpiries[permission])]
            )
        }
    }

    private static func expiry(_ time: Timestamp?) -> SQLValue { time.map { .int($0.microsecondsSinceEpoch) } ?? .null }

    private static func optionalTimestamp(_ row: SQLRow, _ name: String) throws -> Timestamp? {
        try row.isNull(name) ? nil : row.timestamp(name)
    }

    func group(name: String) async throws -> Group? {
        try await groups(where: "WHERE name = $1", [.text(name)]).first
    }

    func group(id: UUID) async throws -> Group? {
        try await groups(where: "WHERE id = $1", [.text(id.storageText)]).first
    }

    func groups() async throws -> [Group] {
        try await groups(where: "", [])
    }

    private func groups(where condition: String, _ binds: [SQLValue]) async throws -> [Group] {
        try await decodeGroups(try await executor.query(
            "SELECT \(Self.groupColumns) FROM identity_groups \(condition) ORDER BY name", binds
        ))
    }

    private func decodeGroups(_ rows: [SQLRow]) async throws -> [Group] {
        let ids = try rows.map { try $0.uuid("id") }
        let permissions = try await permissions(ofGroups: ids)
        return try rows.map { row in try Self.decodeGroup(row, permissions: permissions[try row.uuid("id")] ?? [:]) }
    }

    func addMember(userID: UUID, groupID: UUID) async throws {
        try await executor.execute(
            "INSERT INTO identity_memberships (user_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            [.text(userID.storageText), .text(groupID.storageText)]
        )
    }

    func setMemberships(principalID: UUID, kind: PrincipalKind, groupIDs: [UUID], expiries: [UUID: Timestamp]) async throws {
        guard let (table, column) = Self.membershipTable(kind) else { throw StorageError.configuration("an outside caller's groups come from its token; none are stored") }
        try await executor.execute("DELETE FROM \(table) WHERE \(column) = $1", [.text(principalID.storageText)])
        for groupID in Set(groupIDs).sorted(by: { $0.uuidString < $1.uuidString }) {
            try await executor.execute(
                "INSERT INTO \(table) (\(column), group_id, expires_at) VALUES ($1, $2, $3)",
                [.text(principalID.storageText), .text(groupID.storageText), Self.expiry(expiries[groupID])]
            )
        }
    }

    func hasMembers(groupID: UUID, kind: PrincipalKind) async throws -> Bool {
        guard let (table, _) = Self.membershipTable(kind) else { return false }
        return !(try await executor.query("SELECT 1 AS one FROM \(table) WHERE group_id = $1 LIMIT 1", [.text(groupID.storageText)])).isEmpty
    }

    func memberships(of principalID: UUID, kind: PrincipalKind) async throws -> [Membership] {
        guard let (table, column) = Self.membershipTable(kind) else { return [] }
        let columns = Self.groupColumns.split(separator: ", ").map { "g.\($0)" }.joined(separator: ", ")
        let rows = try await executor.query(
            """
            SELECT \(columns), m.expires_at AS membership_expires_at FROM identity_groups g JOIN \(table) m ON m.group_id = g.id
            WHERE m.\(column) = $1 ORDER BY g.name
            """,
            [.text(principalID.storageText)]
        )
        let groups = try await decodeGroups(rows)
        return try zip(groups, rows).map { group, row in
            Membership(group: group, expiresAt: try Self.optionalTimestamp(row, "membership_expires_at"))
        }
    }

    func lapses(at now: Timestamp, limit: Int) async throws -> [AccessLapse] {
        let bound = max(1, limit)
        var lapses: [AccessLapse] = []
        for kind in [PrincipalKind.user, .client] {
            guard let (table, column) = Self.membershipTable(kind) else { continue }
            let rows = try await executor.query(
                """
                SELECT \(column) AS principal_id, group_id, expires_at FROM \(table)
                WHERE expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT \(bound)
                """,
                [.int(now.microsecondsSinceEpoch)]
            )
            for row in rows {
                lapses.append(AccessLapse(
                    .membership(principalID: try row.uuid("principal_id"), kind: kind, groupID: try row.uuid("group_id")),
                    expiresAt: try row.timestamp("expires_at")
                ))
            }
        }
        let grants = try await executor.query(
            """
            SELECT group_id, permission, expires_at FROM identity_group_permissions
            WHERE expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT \(bound)
            """,
            [.int(now.microsecondsSinceEpoch)]
        )
        for row in grants {
            lapses.append(AccessLapse(
                .grant(groupID: try row.uuid("group_id"), permission: Permission(rawValue: try row.text("permission"))),
                expiresAt: try row.timestamp("expires_at")
            ))
        }
        return Array(lapses.sorted { $0.expiresAt < $1.expiresAt }.prefix(bound))
    }

    func remove(_ lapse: AccessLapse) async throws -> Bool {
        // RETURNING tells this process whether it removed the row: of two sweepers only one
        // does, and an expiry renewed since no longer matches.
        let removed: [SQLRow]
        switch lapse.item {
        case .membership(let principalID, let kind, let groupID):
            guard let (table, column) = Self.membershipTable(kind) else { return false }
            removed = try await executor.query(
                "DELETE FROM \(table) WHERE \(column) = $1 AND group_id = $2 AND expires_at = $3 RETURNING group_id",
                [.text(principalID.storageText), .text(groupID.storageText), .int(lapse.expiresAt.microsecondsSinceEpoch)]
            )
        case .grant(let groupID, let permission):
            removed = try await executor.query(
                "DELETE FROM identity_group_permissions WHERE group_id = $1 AND permission = $2 AND expires_at = $3 RETURNING group_id",
                [.text(groupID.storageText), .text(permission.rawValue), .int(lapse.expiresAt.microsecondsSinceEpoch)]
            )
        }
        return !removed.isEmpty
    }

    func groups(of principalID: UUID, kind: PrincipalKind) async throws -> [Group] {
        try await memberships(of: principalID, kind: kind).map(\.group)
    }

    /// Nil for outside callers: their groups come from their issuer's token, never from here.
    private static func membershipTable(_ kind: PrincipalKind) -> (table: String, column: String)? {
        switch kind {
        case .user: ("identity_memberships", "user_id")
        case .client: ("identity_client_memberships", "client_id")
        case .external: nil
        }
    }

    /// Each group's permissions, with the expiry of those that lapse (nil for the others).
    private func permissions(ofGroups ids: [UUID]) async throws -> [UUID: [Permission: Timestamp?]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await executor.query(
            """
            SELECT group_id, permission, expires_at FROM identity_group_permissions
            WHERE group_id IN (\(SQLBulk.placeholders(ids.count)))
            """,
            ids.map { .text($0.storageText) }
        )
        var result: [UUID: [Permission: Timestamp?]] = [:]
        for row in rows {
            result[try row.uuid("group_id"), default: [:]][Permission(rawValue: try row.text("permission"))] =
                .some(try Self.optionalTimestamp(row, "expires_at"))
        }
        return result
    }

    func insertSigningKey(_ key: SigningKeyRecord) async throws {
        try await executor.execute(
            """
            INSERT INTO identity_signing_keys (kid, algorithm, sealed_private_key, public_key, created_at)
            VALUES ($1, $2, $3, $4, $5)
            """,
            [.text(key.kid), .text(key.algorithm), .bytes(key.sealedPrivateKey), .bytes(key.publicKey),
             .int(key.createdAt.microsecondsSinceEpoch)]
        )
    }

    func signingKeys() async throws -> [SigningKeyRecord] {
        try await executor.query(
            "SELECT kid, algorithm, sealed_private_key, public_key, created_at FROM identity_signing_keys ORDER BY created_at, kid"
        , []).map { row in
            SigningKeyRecord(
                kid: try row.text("kid"), algorithm: try row.text("algorithm"),
                sealedPrivateKey: try row.bytes("sealed_private_key"), publicKey: try row.bytes("public_key"),
                createdAt: try row.timestamp("created_at")
            )
        }
    }

    private static func decodeUser(_ row: SQLRow) throws -> User {
        guard let status = User.Status(rawValue: try row.text("status")) else {
            throw StorageError.decoding("unknown user status")
        }
        return User(
            id: try row.uuid("id"), username: Username(trusted: try row.text("username")),
            passwordHash: PasswordHash(encoded: try row.text("password_hash")), status: status,
            mustChangePassword: try row.bool("must_change_password"), mfaEnrolled: try row.bool("totp_confirmed"),
            createdAt: try row.timestamp("created_at"),
            updatedAt: try row.timestamp("updated_at")
        )
    }

    private static func decodeGroup(_ row: SQLRow, permissions: [Permission: Timestamp?]) throws -> Group {
        guard let scope = AccessScope(
            organizationID: try row.optionalText("scope_organization_id"), ledgerID: try row.optionalText("scope_ledger_id")
        ) else { throw StorageError.decoding("a group's ledger scope has no organization") }
        return Group(
            id: try row.uuid("id"), name: try row.text("name"), permissions: Set(permissions.keys), scope: scope,
            requiresMFA: try row.bool("requires_mfa"), builtIn: try row.bool("built_in"), createdAt: try row.timestamp("created_at"),
            permissionExpiries: permissions.compactMapValues { $0 }
        )
    }

    private static func groupBinds(_ group: Group) -> [SQLValue] {
        [
            .text(group.id.storageText), .text(group.name), .bool(group.builtIn),
            group.scope.organizationID.map(SQLValue.text) ?? .null, group.scope.ledgerID.map(SQLValue.text) ?? .null,
            .bool(group.requiresMFA), .int(group.createdAt.microsecondsSinceEpoch),
        ]
    }
}

extension UUID {
    /// The stored form: lower-case, as PostgreSQL renders UUIDs.
    var storageText: String { uuidString.lowercased() }
}
