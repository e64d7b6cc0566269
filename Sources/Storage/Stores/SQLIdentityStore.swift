import Foundation
import Identity
import StrongroomKernel

/// `IdentityStore` in SQL that both backends run unchanged.
struct SQLIdentityStore: IdentityStore {
    let executor: any SQLExecutor

    private static let userColumns = "id, username, password_hash, status, must_change_password, created_at, updated_at"

    func countUsers() async throws -> Int {
        Int(try await executor.queryOne("SELECT COUNT(*) AS n FROM identity_users")?.int("n") ?? 0)
    }

    func insertUser(_ user: User) async throws {
        do {
            try await executor.execute(
                "INSERT INTO identity_users (\(Self.userColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                [
                    .text(user.id.storageText), .text(user.username.value), .text(user.passwordHash.encoded),
                    .text(user.status.rawValue), .bool(user.mustChangePassword),
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

    func updatePassword(userID: UUID, hash: PasswordHash, mustChangePassword: Bool, at: Timestamp) async throws {
        try await executor.execute(
            "UPDATE identity_users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4",
            [.text(hash.encoded), .bool(mustChangePassword), .int(at.microsecondsSinceEpoch), .text(userID.storageText)]
        )
    }

    func ensureGroup(_ group: Group) async throws -> Group {
        let inserted = try await executor.query(
            """
            INSERT INTO identity_groups (id, name, built_in, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (name) DO NOTHING RETURNING id
            """,
            [.text(group.id.storageText), .text(group.name), .bool(group.builtIn), .int(group.createdAt.microsecondsSinceEpoch)]
        )
        if !inserted.isEmpty {
            for permission in group.permissions.sorted() {
                try await executor.execute(
                    "INSERT INTO identity_group_permissions (group_id, permission) VALUES ($1, $2)",
                    [.text(group.id.storageText), .text(permission.rawValue)]
                )
            }
        }
        guard let stored = try await self.group(name: group.name) else {
            throw StorageError.decoding("group \(group.name) vanished after it was ensured")
        }
        return stored
    }

    func group(name: String) async throws -> Group? {
        guard let row = try await executor.queryOne(
            "SELECT id, name, built_in, created_at FROM identity_groups WHERE name = $1", [.text(name)]
        ) else { return nil }
        let id = try row.uuid("id")
        let permissions = try await permissions(ofGroups: [id])
        return try Self.decodeGroup(row, permissions: permissions[id] ?? [])
    }

    func addMember(userID: UUID, groupID: UUID) async throws {
        try await executor.execute(
            "INSERT INTO identity_memberships (user_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            [.text(userID.storageText), .text(groupID.storageText)]
        )
    }

    func groups(ofUser userID: UUID) async throws -> [Group] {
        let rows = try await executor.query(
            """
            SELECT g.id, g.name, g.built_in, g.created_at FROM identity_groups g
            JOIN identity_memberships m ON m.group_id = g.id
            WHERE m.user_id = $1 ORDER BY g.name
            """,
            [.text(userID.storageText)]
        )
        let ids = try rows.map { try $0.uuid("id") }
        let permissions = try await permissions(ofGroups: ids)
        return try rows.map { row in try Self.decodeGroup(row, permissions: permissions[try row.uuid("id")] ?? []) }
    }

    private func permissions(ofGroups ids: [UUID]) async throws -> [UUID: Set<Permission>] {
        guard !ids.isEmpty else { return [:] }
        let placeholders = (1...ids.count).map { "$\($0)" }.joined(separator: ", ")
        let rows = try await executor.query(
            "SELECT group_id, permission FROM identity_group_permissions WHERE group_id IN (\(placeholders))",
            ids.map { .text($0.storageText) }
        )
        var result: [UUID: Set<Permission>] = [:]
        for row in rows {
            result[try row.uuid("group_id"), default: []].insert(Permission(rawValue: try row.text("permission")))
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
            mustChangePassword: try row.bool("must_change_password"), createdAt: try row.timestamp("created_at"),
            updatedAt: try row.timestamp("updated_at")
        )
    }

    private static func decodeGroup(_ row: SQLRow, permissions: Set<Permission>) throws -> Group {
        Group(
            id: try row.uuid("id"), name: try row.text("name"), permissions: permissions,
            builtIn: try row.bool("built_in"), createdAt: try row.timestamp("created_at")
        )
    }
}

extension UUID {
    /// The stored form: lower-case, as PostgreSQL renders UUIDs.
    var storageText: String { uuidString.lowercased() }
}
