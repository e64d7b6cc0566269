import Foundation
import Identity
import StrongroomKernel

/// Machine clients, refresh tokens, revoked access tokens, TOTP and the login throttle's
/// counters: the identity state every process shares through the database.
extension SQLIdentityStore {
    private static let clientColumns =
        "id, name, secret_hash, previous_secret_hash, previous_secret_valid_until, status, created_at, updated_at"
    private static let refreshColumns = "token_hash, family_id, user_id, issued_at, family_expires_at, spent_at, revoked"

    // MARK: Machine clients

    func insertClient(_ client: MachineClient) async throws {
        try await executor.execute(
            "INSERT INTO identity_clients (\(Self.clientColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", Self.clientBinds(client)
        )
    }

    func updateClient(_ client: MachineClient) async throws {
        try await executor.execute(
            """
            UPDATE identity_clients SET name = $2, secret_hash = $3, previous_secret_hash = $4,
                previous_secret_valid_until = $5, status = $6, updated_at = $7 WHERE id = $1
            """,
            Self.mutableClientBinds(client) + [.int(client.updatedAt.microsecondsSinceEpoch)]
        )
    }

    func client(id: UUID) async throws -> MachineClient? {
        try await executor.queryOne("SELECT \(Self.clientColumns) FROM identity_clients WHERE id = $1", [.text(id.storageText)])
            .map(Self.decodeClient)
    }

    func clients() async throws -> [MachineClient] {
        try await executor.query(
            "SELECT \(Self.clientColumns) FROM identity_clients WHERE status = 'active' ORDER BY id", []
        ).map(Self.decodeClient)
    }

    /// In `clientColumns` order.
    private static func clientBinds(_ client: MachineClient) -> [SQLValue] {
        mutableClientBinds(client) + [.int(client.createdAt.microsecondsSinceEpoch), .int(client.updatedAt.microsecondsSinceEpoch)]
    }

    /// The id, then what an update may change (name, secrets, status).
    private static func mutableClientBinds(_ client: MachineClient) -> [SQLValue] {
        [
            .text(client.id.storageText), .text(client.name), .text(client.secretHash),
            client.previousSecretHash.map(SQLValue.text) ?? .null,
            client.previousSecretValidUntil.map { .int($0.microsecondsSinceEpoch) } ?? .null,
            .text(client.status.rawValue),
        ]
    }

    private static func decodeClient(_ row: SQLRow) throws -> MachineClient {
        guard let status = MachineClient.Status(rawValue: try row.text("status")) else {
            throw StorageError.decoding("unknown client status")
        }
        return MachineClient(
            id: try row.uuid("id"), name: try row.text("name"), secretHash: try row.text("secret_hash"),
            previousSecretHash: try row.optionalText("previous_secret_hash"),
            previousSecretValidUntil: try row.isNull("previous_secret_valid_until") ? nil : try row.timestamp("previous_secret_valid_until"),
            status: status, createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at")
        )
    }

    // MARK: Refresh tokens and revoked access tokens

    func insertRefreshToken(_ token: RefreshTokenRecord) async throws {
        try await executor.execute(
            "INSERT INTO identity_refresh_tokens (\(Self.refreshColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [
                .text(token.tokenHash), .text(token.familyID.storageText), .text(token.userID.storageText),
                .int(token.issuedAt.microsecondsSinceEpoch), .int(token.familyExpiresAt.microsecondsSinceEpoch),
                token.spentAt.map { .int($0.microsecondsSinceEpoch) } ?? .null, .bool(token.revoked),
            ]
        )
    }

    func spendRefreshToken(hash: String, at now: Timestamp) async throws -> RefreshOutcome {
        // One statement decides the winner: of two processes presenting the same token, the
        // second finds it spent (PostgreSQL re-checks the row once the first commits).
        if let row = try await executor.queryOne(
            """
            UPDATE identity_refresh_tokens SET spent_at = $1
            WHERE token_hash = $2 AND spent_at IS NULL AND revoked = FALSE AND family_expires_at > $1
            RETURNING \(Self.refreshColumns)
            """,
            [.int(now.microsecondsSinceEpoch), .text(hash)]
        ) {
            return .spent(try Self.decodeRefresh(row))
        }
        guard let row = try await executor.queryOne(
            "SELECT \(Self.refreshColumns) FROM identity_refresh_tokens WHERE token_hash = $1", [.text(hash)]
        ) else { return .invalid }
        let token = try Self.decodeRefresh(row)
        guard token.spentAt != nil else { return .invalid }
        try await executor.execute(
            "UPDATE identity_refresh_tokens SET revoked = TRUE WHERE family_id = $1", [.text(token.familyID.storageText)]
        )
        return .reused(familyID: token.familyID, userID: token.userID)
    }

    func revokeRefreshFamily(containing hash: String) async throws -> Bool {
        guard let row = try await executor.queryOne(
            "SELECT family_id FROM identity_refresh_tokens WHERE token_hash = $1 AND revoked = FALSE", [.text(hash)]
        ) else { return false }
        try await executor.execute(
            "UPDATE identity_refresh_tokens SET revoked = TRUE WHERE family_id = $1", [.text(try row.text("family_id"))]
        )
        return true
    }

    func revokeRefreshTokens(ofUser userID: UUID) async throws {
        try await executor.execute(
            "UPDATE identity_refresh_tokens SET revoked = TRUE WHERE user_id = $1 AND revoked = FALSE", [.text(userID.storageText)]
        )
    }

    func revokeAccessToken(tokenID: String, expiresAt: Timestamp) async throws {
        try await executor.execute(
            "INSERT INTO identity_revoked_tokens (token_id, expires_at) VALUES ($1, $2) ON CONFLICT (token_id) DO NOTHING",
            [.text(tokenID), .int(expiresAt.microsecondsSinceEpoch)]
        )
    }

    func isAccessTokenRevoked(tokenID: String) async throws -> Bool {
        try await executor.queryOne("SELECT 1 AS found FROM identity_revoked_tokens WHERE token_id = $1", [.text(tokenID)]) != nil
    }

    private static func decodeRefresh(_ row: SQLRow) throws -> RefreshTokenRecord {
        RefreshTokenRecord(
            tokenHash: try row.text("token_hash"), familyID: try row.uuid("family_id"), userID: try row.uuid("user_id"),
            issuedAt: try row.timestamp("issued_at"), familyExpiresAt: try row.timestamp("family_expires_at"),
            spentAt: try row.isNull("spent_at") ? nil : try row.timestamp("spent_at"), revoked: try row.bool("revoked")
        )
    }

    // MARK: TOTP

    func setTOTP(userID: UUID, sealedSecret: [UInt8], at: Timestamp) async throws {
        try await executor.execute(
            "UPDATE identity_users SET totp_secret = $1, totp_confirmed = FALSE, updated_at = $2 WHERE id = $3",
            [.bytes(sealedSecret), .int(at.microsecondsSinceEpoch), .text(userID.storageText)]
        )
    }

    func totp(userID: UUID) async throws -> TOTPEnrollment? {
        guard let row = try await executor.queryOne(
            "SELECT totp_secret, totp_confirmed, totp_last_step FROM identity_users WHERE id = $1", [.text(userID.storageText)]
        ), !(try row.isNull("totp_secret")) else { return nil }
        return TOTPEnrollment(
            sealedSecret: try row.bytes("totp_secret"), confirmed: try row.bool("totp_confirmed"), lastUsedStep: try row.int("totp_last_step")
        )
    }

    func confirmTOTP(userID: UUID, at: Timestamp) async throws {
        try await executor.execute(
            "UPDATE identity_users SET totp_confirmed = TRUE, updated_at = $1 WHERE id = $2",
            [.int(at.microsecondsSinceEpoch), .text(userID.storageText)]
        )
    }

    func clearTOTP(userID: UUID, at: Timestamp) async throws -> Bool {
        try await executor.queryOne(
            "UPDATE identity_users SET totp_secret = NULL, totp_confirmed = FALSE, updated_at = $1 WHERE id = $2 AND totp_secret IS NOT NULL RETURNING id",
            [.int(at.microsecondsSinceEpoch), .text(userID.storageText)]
        ) != nil
    }

    func spendTOTPStep(userID: UUID, step: Int64) async throws -> Bool {
        try await executor.queryOne(
            "UPDATE identity_users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1 RETURNING id",
            [.int(step), .text(userID.storageText)]
        ) != nil
    }

    // MARK: Login throttling

    func loginCounters(keys: [String]) async throws -> [String: LoginThrottle.Counter] {
        guard !keys.isEmpty else { return [:] }
        var counters: [String: LoginThrottle.Counter] = [:]
        for row in try await executor.query(
            "SELECT counter_key, failures, window_start, locked_until FROM identity_login_counters WHERE counter_key IN (\(SQLBulk.placeholders(keys.count)))",
            keys.map(SQLValue.text)
        ) {
            counters[try row.text("counter_key")] = try Self.decodeCounter(row)
        }
        return counters
    }

    func recordLoginFailure(key: String, at now: Timestamp) async throws -> LoginThrottle.Counter {
        // One upsert: concurrent failures from several processes each count.
        guard let row = try await executor.queryOne(
            """
            INSERT INTO identity_login_counters (counter_key, failures, window_start, locked_until) VALUES ($1, 1, $2, 0)
            ON CONFLICT (counter_key) DO UPDATE SET
                failures = CASE WHEN identity_login_counters.window_start <= $3
                    AND identity_login_counters.locked_until <= $2 THEN 1 ELSE identity_login_counters.failures + 1 END,
                window_start = CASE WHEN identity_login_counters.window_start <= $3
                    AND identity_login_counters.locked_until <= $2 THEN $2 ELSE identity_login_counters.window_start END
            RETURNING failures, window_start, locked_until
            """,
            [.text(key), .int(now.microsecondsSinceEpoch), .int(now.microsecondsSinceEpoch - LoginThrottle.windowMicroseconds)]
        ) else { throw StorageError.decoding("the login counter upsert returned nothing") }
        return try Self.decodeCounter(row)
    }

    func extendLoginLock(key: String, until: Timestamp) async throws {
        try await executor.execute(
            "UPDATE identity_login_counters SET locked_until = $1 WHERE counter_key = $2 AND locked_until < $1",
            [.int(until.microsecondsSinceEpoch), .text(key)]
        )
    }

    func clearLoginCounter(key: String) async throws {
        try await executor.execute("DELETE FROM identity_login_counters WHERE counter_key = $1", [.text(key)])
    }

    func rememberLoginSource(account: String, source: String, at: Timestamp) async throws {
        try await executor.execute(
            """
            INSERT INTO identity_login_sources (account, source, last_success_at) VALUES ($1, $2, $3)
            ON CONFLICT (account, source) DO UPDATE SET last_success_at = $3
            """,
            [.text(account), .text(source), .int(at.microsecondsSinceEpoch)]
        )
    }

    func isKnownLoginSource(account: String, source: String, since: Timestamp) async throws -> Bool {
        try await executor.queryOne(
            "SELECT 1 AS found FROM identity_login_sources WHERE account = $1 AND source = $2 AND last_success_at >= $3",
            [.text(account), .text(source), .int(since.microsecondsSinceEpoch)]
        ) != nil
    }

    func pruneExpired(at now: Timestamp) async throws {
        let micros = now.microsecondsSinceEpoch
        try await executor.execute(
            "DELETE FROM identity_login_counters WHERE window_start <= $1 AND locked_until <= $2",
            [.int(micros - LoginThrottle.windowMicroseconds), .int(micros)]
        )
        try await executor.execute(
            "DELETE FROM identity_login_sources WHERE last_success_at < $1", [.int(micros - LoginThrottle.knownSourceMicroseconds)]
        )
        try await executor.execute("DELETE FROM identity_revoked_tokens WHERE expires_at < $1", [.int(micros)])
        try await executor.execute("DELETE FROM identity_refresh_tokens WHERE family_expires_at < $1", [.int(micros)])
    }

    private static func decodeCounter(_ row: SQLRow) throws -> LoginThrottle.Counter {
        LoginThrottle.Counter(
            failures: try row.int("failures"), windowStart: try row.timestamp("window_start"), lockedUntil: try row.timestamp("locked_until")
        )
    }
}
