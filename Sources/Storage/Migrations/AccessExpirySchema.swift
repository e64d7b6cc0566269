/// Migration 8: time-limited access (issue 25, item 4; "Identity, tokens and secrets" in
/// docs/ARCHITECTURE.md). A membership or a grant may carry `expires_at` (microseconds since
/// the epoch, null for none). Resolution ignores a lapsed row at once; the lapse sweeper then
/// deletes it with its audit record, so the partial indexes below hold only the rows that
/// will lapse, and the sweeper's scan stays small however many members a group has.
///
/// The same statements run on both backends. The service role already reads and writes these
/// tables (migrations 1 and 4); the grants restate it so this migration says what the
/// sweeper needs, DELETE included.
enum AccessExpirySchema {
    static let tables = ["identity_memberships", "identity_client_memberships", "identity_group_permissions"]

    static let migration = Migration(
        version: 8,
        name: "access-expiry",
        statements: tables.flatMap { table in
            [
                "ALTER TABLE \(table) ADD COLUMN expires_at BIGINT",
                "CREATE INDEX \(table)_expiry ON \(table) (expires_at) WHERE expires_at IS NOT NULL",
            ]
        },
        grants: tables.map { .readWrite($0) }
    )
}
