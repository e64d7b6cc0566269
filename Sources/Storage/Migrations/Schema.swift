/// Every migration, in order. Append only: a released migration is never changed.
enum Schema {
    static let migrations: [Migration] = [
        Migration(
            version: 1,
            name: "identity",
            statements: [
                """
                CREATE TABLE identity_users (
                    id TEXT PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
                    must_change_password BOOLEAN NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE identity_groups (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    built_in BOOLEAN NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE identity_group_permissions (
                    group_id TEXT NOT NULL REFERENCES identity_groups (id),
                    permission TEXT NOT NULL,
                    PRIMARY KEY (group_id, permission)
                )
                """,
                """
                CREATE TABLE identity_memberships (
                    user_id TEXT NOT NULL REFERENCES identity_users (id),
                    group_id TEXT NOT NULL REFERENCES identity_groups (id),
                    PRIMARY KEY (user_id, group_id)
                )
                """,
                "CREATE INDEX identity_memberships_group ON identity_memberships (group_id)",
                """
                CREATE TABLE identity_signing_keys (
                    kid TEXT PRIMARY KEY,
                    algorithm TEXT NOT NULL,
                    sealed_private_key {BYTES} NOT NULL,
                    public_key {BYTES} NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
            ],
            grants: [
                .readWrite("identity_users"), .readWrite("identity_groups"), .readWrite("identity_group_permissions"),
                .readWrite("identity_memberships"), .appendOnly("identity_signing_keys"),
            ]
        ),
        LedgerSchema.migration,
        AuditSchema.migration,
        IdentityAccessSchema.migration,
        AuditChainLinkSchema.migration,
        LedgerHistoryGuardSchema.migration,
        ControlStateSchema.migration,
        AccessExpirySchema.migration,
        ControlRuleSchema.migration,
        HolderSchema.migration,
        HolderAliasSchema.migration,
        EventSchema.migration,
    ]
}
