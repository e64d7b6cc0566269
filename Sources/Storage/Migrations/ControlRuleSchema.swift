/// Migration 9: control rules as data (issue 26, item 1; "Maker-checker: rules and approvals"
/// in docs/ARCHITECTURE.md).
///
/// `control_rules` holds each rule as it stands now: its scope, its kind, its version, whether
/// it is active, and its definition, the validated `ControlRuleDraft` as JSON text with sorted
/// keys. JSON rather than a column per field because the three kinds share almost no field,
/// so columns would be a dozen nullable ones whose CHECKs restate the draft's validation in
/// SQL; the posting path will read every active rule of an organization, never search rules
/// by a field; and reading a rule validates its definition again with the same code that
/// accepted it, so the one set of rules lives in `Controls`.
///
/// `control_rule_versions` keeps every definition a rule has had, keyed by (rule, version),
/// so an approval can name the exact version it was judged under. A rule's id, organization,
/// kind and creation never change; an update writes a new version (the current row and a
/// versions row, in one unit of work) and a disable only clears `active`. The service role
/// may UPDATE only the columns that move and may not DELETE a rule; the versions are
/// append-only for it, and for every role triggers refuse UPDATE and DELETE of a version
/// (and TRUNCATE on PostgreSQL), as the audit chain's do.
enum ControlRuleSchema {
    static let refusal = "control rule versions are append-only"

    /// The columns of `control_rules` that change after the insert (`ControlRuleRecords`'s
    /// UPDATEs).
    static let changeable = ["ledger_id", "definition", "version", "active", "updated_at", "updated_by"]

    private static let postgres: [String] = [
        """
        CREATE FUNCTION control_rule_versions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '\(refusal): % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """,
        """
        CREATE TRIGGER control_rule_versions_no_rewrite BEFORE UPDATE OR DELETE ON control_rule_versions
            FOR EACH ROW EXECUTE FUNCTION control_rule_versions_refuse_change()
        """,
        """
        CREATE TRIGGER control_rule_versions_no_truncate BEFORE TRUNCATE ON control_rule_versions
            FOR EACH STATEMENT EXECUTE FUNCTION control_rule_versions_refuse_change()
        """,
    ]

    private static let sqlite: [String] = [
        """
        CREATE TRIGGER control_rule_versions_no_update BEFORE UPDATE ON control_rule_versions
        BEGIN SELECT RAISE(ABORT, '\(refusal)'); END
        """,
        """
        CREATE TRIGGER control_rule_versions_no_delete BEFORE DELETE ON control_rule_versions
        BEGIN SELECT RAISE(ABORT, '\(refusal)'); END
        """,
    ]

    static let migration = Migration(
        version: 9,
        name: "control-rules",
        statements: [
            """
            CREATE TABLE control_rules (
                id TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL,
                ledger_id TEXT,
                kind TEXT NOT NULL CHECK (kind IN ('transaction_approval', 'limit', 'administrative_approval')),
                definition TEXT NOT NULL,
                version BIGINT NOT NULL CHECK (version >= 1),
                active BOOLEAN NOT NULL,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            // The organization's list in id order, and its active rules (what postings read).
            "CREATE INDEX control_rules_organization ON control_rules (organization_id, id)",
            "CREATE INDEX control_rules_active ON control_rules (organization_id, id) WHERE active",
            """
            CREATE TABLE control_rule_versions (
                rule_id TEXT NOT NULL REFERENCES control_rules (id),
                version BIGINT NOT NULL CHECK (version >= 1),
                organization_id TEXT NOT NULL,
                ledger_id TEXT,
                kind TEXT NOT NULL,
                definition TEXT NOT NULL,
                made_at BIGINT NOT NULL,
                made_by TEXT NOT NULL,
                PRIMARY KEY (rule_id, version)
            )
            """,
        ],
        dialectStatements: [.postgres: postgres, .sqlite: sqlite],
        grants: [.appendOnly("control_rules", updating: changeable), .appendOnly("control_rule_versions")]
    )
}
