import Audit

/// Migration 5: the database checks that each audit record extends the chain, instead of
/// keeping `prev_hash` and `hash` in unique indexes (see "The chain" in docs/ARCHITECTURE.md).
///
/// Migration 3 made both hash columns UNIQUE, so a second writer past a broken chain lock
/// would fail rather than fork the chain. The keys of those two indexes are hashes, so every
/// record landed on a random page of each, and a posting's audit record cost two random
/// pages in the WAL on top of the ledger's own. A trigger now refuses any record whose
/// `prev_hash` is not the `hash` of the record at `seq - 1` (the genesis value for seq 1);
/// with `seq` the primary key, two records can no longer claim one predecessor, and a gap
/// or a record linked to the wrong predecessor is refused too, which the indexes allowed.
///
/// SQLite cannot drop a column's UNIQUE, so the table is rebuilt with its indexes and its
/// append-only triggers, and `seq` becomes the rowid (`INTEGER PRIMARY KEY`): one B-tree
/// fewer again, and the predecessor lookup is a rowid lookup. The rebuild copies every
/// record once, inside the migration's transaction, so the first start after the upgrade
/// takes time in proportion to the chain's length.
enum AuditChainLinkSchema {
    static let refusal = "audit records must extend the chain"
    /// The `hash` a new record's `prev_hash` must equal, in both dialects' SQL.
    static let predecessorHash = """
        CASE WHEN NEW.seq = 1 THEN '\(AuditChainHead.genesis.hash)'
        ELSE (SELECT hash FROM audit_events WHERE seq = NEW.seq - 1) END
        """

    static let migration = Migration(
        version: 5,
        name: "audit-chain-links",
        statements: [],
        dialectStatements: [
            .postgres: [
                "ALTER TABLE audit_events DROP CONSTRAINT audit_events_prev_hash_key",
                "ALTER TABLE audit_events DROP CONSTRAINT audit_events_hash_key",
                """
                CREATE FUNCTION audit_refuse_unlinked() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.prev_hash IS DISTINCT FROM (\(predecessorHash)) THEN
                        RAISE EXCEPTION '\(refusal): seq % does not follow its predecessor', NEW.seq
                            USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END
                $$
                """,
                """
                CREATE TRIGGER audit_events_linked BEFORE INSERT ON audit_events
                    FOR EACH ROW EXECUTE FUNCTION audit_refuse_unlinked()
                """,
            ],
            .sqlite: [
                """
                CREATE TABLE audit_events_relinked (
                    seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                    recorded_at BIGINT NOT NULL,
                    actor_kind TEXT NOT NULL,
                    actor_id TEXT NOT NULL,
                    actor_address TEXT,
                    action TEXT NOT NULL,
                    resource TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                )
                """,
                """
                INSERT INTO audit_events_relinked
                SELECT seq, recorded_at, actor_kind, actor_id, actor_address, action, resource, outcome, request_id, summary,
                    prev_hash, hash
                FROM audit_events ORDER BY seq
                """,
                // Dropping a table drops its triggers first, so the append-only triggers do
                // not fire on the rows it removes.
                "DROP TABLE audit_events",
                "ALTER TABLE audit_events_relinked RENAME TO audit_events",
                "CREATE INDEX audit_events_actor ON audit_events (actor_id, seq)",
                "CREATE INDEX audit_events_action ON audit_events (action, seq)",
                "CREATE INDEX audit_events_time ON audit_events (recorded_at)",
                """
                CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                BEGIN SELECT RAISE(ABORT, '\(AuditSchema.refusal)'); END
                """,
                """
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                BEGIN SELECT RAISE(ABORT, '\(AuditSchema.refusal)'); END
                """,
                """
                CREATE TRIGGER audit_events_linked BEFORE INSERT ON audit_events
                WHEN NEW.prev_hash IS NOT (\(predecessorHash))
                BEGIN SELECT RAISE(ABORT, '\(refusal)'); END
                """,
            ],
        ],
        grants: []
    )
}
