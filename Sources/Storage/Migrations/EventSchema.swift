/// Migration 12: the events outbox (issue 27, items 1 and 3; "Events: the outbox and
/// delivery" in docs/ARCHITECTURE.md).
///
/// - `events`: one row per `EventEnvelope`, written by the unit of work of its change.
///   `seq` is the pull API's cursor: assigned by the database (an identity column on
///   PostgreSQL, AUTOINCREMENT on SQLite, so a number is never handed out twice, not even
///   after the retention sweep has emptied the table) while the unit of work holds the
///   audit chain's lock, so numbers commit in ascending order (`EventRecords`). The
///   envelope's fields each have a column, `body` is the body's JSON text. Rows never
///   change: the service role may INSERT, SELECT and DELETE (the retention sweep), and
///   triggers refuse an UPDATE from any role.
/// - `event_horizon`: one row, the highest `seq` the retention sweep has deleted through.
///   A cursor below it has missed events (410). Only that column changes.
enum EventSchema {
    static let refusal = "events are never rewritten"

    static let migration = Migration(
        version: 12,
        name: "events",
        statements: [
            """
            CREATE TABLE event_horizon (
                id BIGINT PRIMARY KEY CHECK (id = 1),
                purged_through BIGINT NOT NULL CHECK (purged_through >= 0)
            )
            """,
            "INSERT INTO event_horizon (id, purged_through) VALUES (1, 0)",
        ],
        dialectStatements: [
            .postgres: [
                """
                CREATE TABLE events (
                    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    \(columns)
                )
                """,
                "CREATE INDEX events_organization ON events (organization_id, seq)",
                """
                CREATE FUNCTION events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '\(refusal): % on % refused', TG_OP, TG_TABLE_NAME
                        USING ERRCODE = 'insufficient_privilege';
                END
                $$
                """,
                """
                CREATE TRIGGER events_no_update BEFORE UPDATE ON events
                    FOR EACH ROW EXECUTE FUNCTION events_refuse_update()
                """,
                "REVOKE ALL ON events FROM PUBLIC",
                "REVOKE ALL ON event_horizon FROM PUBLIC",
            ],
            .sqlite: [
                """
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    \(columns)
                )
                """,
                "CREATE INDEX events_organization ON events (organization_id, seq)",
                """
                CREATE TRIGGER events_no_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, '\(refusal)'); END
                """,
            ],
        ],
        grants: [
            Migration.Grant(table: "events", privileges: "SELECT, INSERT, DELETE"),
            Migration.Grant(table: "event_horizon", privileges: "SELECT, UPDATE (purged_through)"),
        ]
    )

    /// Every column but `seq`, the same on both backends.
    private static let columns = """
        event_id TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    schema_version BIGINT NOT NULL CHECK (schema_version >= 1),
                    occurred_at BIGINT NOT NULL,
                    organization_id TEXT,
                    ledger_id TEXT,
                    ordering_key TEXT,
                    body TEXT NOT NULL
        """
}
