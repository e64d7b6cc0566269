/// Migration 4: scoped groups, machine clients, refresh tokens, revoked access tokens, TOTP
/// and the login throttle's shared counters (see "Access: grants, scopes and the decision"
/// and "Sessions, clients, keys and throttling" in docs/ARCHITECTURE.md).
enum IdentityAccessSchema {
    static let migration = Migration(
        version: 4,
        name: "identity-access",
        statements: [
            "ALTER TABLE identity_users ADD COLUMN totp_secret {BYTES}",
            "ALTER TABLE identity_users ADD COLUMN totp_confirmed BOOLEAN NOT NULL DEFAULT FALSE",
            "ALTER TABLE identity_users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE identity_groups ADD COLUMN scope_organization_id TEXT",
            "ALTER TABLE identity_groups ADD COLUMN scope_ledger_id TEXT",
            "ALTER TABLE identity_groups ADD COLUMN requires_mfa BOOLEAN NOT NULL DEFAULT FALSE",
            """
            CREATE TABLE identity_clients (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                secret_hash TEXT NOT NULL,
                previous_secret_hash TEXT,
                previous_secret_valid_until BIGINT,
                status TEXT NOT NULL CHECK (status IN ('active', 'deleted')),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE identity_client_memberships (
                client_id TEXT NOT NULL REFERENCES identity_clients (id),
                group_id TEXT NOT NULL REFERENCES identity_groups (id),
                PRIMARY KEY (client_id, group_id)
            )
            """,
            """
            CREATE TABLE identity_refresh_tokens (
                token_hash TEXT PRIMARY KEY,
                family_id TEXT NOT NULL,
                user_id TEXT NOT NULL REFERENCES identity_users (id),
                issued_at BIGINT NOT NULL,
                family_expires_at BIGINT NOT NULL,
                spent_at BIGINT,
                revoked BOOLEAN NOT NULL
            )
            """,
            "CREATE INDEX identity_refresh_tokens_family ON identity_refresh_tokens (family_id)",
            "CREATE INDEX identity_refresh_tokens_user ON identity_refresh_tokens (user_id)",
            """
            CREATE TABLE identity_revoked_tokens (
                token_id TEXT PRIMARY KEY,
                expires_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE identity_login_counters (
                counter_key TEXT PRIMARY KEY,
                failures BIGINT NOT NULL,
                window_start BIGINT NOT NULL,
                locked_until BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE identity_login_sources (
                account TEXT NOT NULL,
                source TEXT NOT NULL,
                last_success_at BIGINT NOT NULL,
                PRIMARY KEY (account, source)
            )
            """,
        ],
        grants: [
            .readWrite("identity_clients"), .readWrite("identity_client_memberships"), .readWrite("identity_refresh_tokens"),
            .readWrite("identity_revoked_tokens"), .readWrite("identity_login_counters"), .readWrite("identity_login_sources"),
        ]
    )
}
