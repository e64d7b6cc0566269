/// Migration 3: the audit chain (see "The audit trail" in docs/ARCHITECTURE.md).
///
/// The service role may only INSERT and SELECT; on top of that the database itself refuses
/// to change or remove a record: row triggers for UPDATE and DELETE, a statement trigger
/// for TRUNCATE on PostgreSQL, and aborting triggers on SQLite, which has no roles.
enum AuditSchema {
    static let refusal = "audit records are append-only"

    static let migration = Migration(
        version: 3,
        name: "audit",
        statements: [
            """
            CREATE TABLE audit_events (
                seq BIGINT PRIMARY KEY CHECK (seq >= 1),
                recorded_at BIGINT NOT NULL,
                actor_kind TEXT NOT NULL,
                actor_id TEXT NOT NULL,
                actor_address TEXT,
                action TEXT NOT NULL,
                resource TEXT NOT NULL,
                outcome TEXT NOT NULL,
                request_id TEXT NOT NULL,
                summary TEXT NOT NULL,
                prev_hash TEXT NOT NULL UNIQUE,
                hash TEXT NOT NULL UNIQUE
            )
            """,
            "CREATE INDEX audit_events_actor ON audit_events (actor_id, seq)",
            "CREATE INDEX audit_events_action ON audit_events (action, seq)",
            "CREATE INDEX audit_events_time ON audit_events (recorded_at)",
        ],
        dialectStatements: [
            .postgres: [
                """
                CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '\(refusal): % on % refused', TG_OP, TG_TABLE_NAME
                        USING ERRCODE = 'insufficient_privilege';
                END
                $$
                """,
                """
                CREATE TRIGGER audit_events_no_rewrite BEFORE UPDATE OR DELETE ON audit_events
                    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
                """,
                """
                CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
                """,
                "REVOKE ALL ON audit_events FROM PUBLIC",
            ],
            .sqlite: [
                """
                CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                BEGIN SELECT RAISE(ABORT, '\(refusal)'); END
                """,
                """
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                BEGIN SELECT RAISE(ABORT, '\(refusal)'); END
                """,
            ],
        ],
        grants: [.appendOnly("audit_events")]
    )
}
