/// Migration 7: where freezes and locks are kept (issue 25; "Controls: what may move" in
/// docs/ARCHITECTURE.md). Each is three nullable columns on its entity's table, who set it
/// (`…_actor`), when (`…_at`) and why (`…_reason`), all set or all null: a CHECK holds them
/// together, and another bounds the reason as the routes do, so a bug cannot store a freeze
/// nobody can explain. Columns rather than a table of their own because the posting engine
/// reads them in the statement that locks its balances, by the primary keys it already
/// joins on.
///
/// The same statements run on both backends (`ALTER TABLE … ADD COLUMN` with a CHECK is
/// valid on SQLite and PostgreSQL). The service role already holds UPDATE on these tables
/// (migration 2's `noDelete` grants), and the grants below restate them so this migration
/// says what the control routes need.
enum ControlStateSchema {
    /// The longest reason the database accepts, in characters, as `ControlReason` allows.
    static let maxReasonCharacters = 500

    private static func columns(table: String, prefix: String) -> [String] {
        [
            "ALTER TABLE \(table) ADD COLUMN \(prefix)_reason TEXT CHECK (length(\(prefix)_reason) BETWEEN 1 AND \(maxReasonCharacters))",
            "ALTER TABLE \(table) ADD COLUMN \(prefix)_actor TEXT",
            """
            ALTER TABLE \(table) ADD COLUMN \(prefix)_at BIGINT CHECK (
                (\(prefix)_at IS NULL AND \(prefix)_reason IS NULL AND \(prefix)_actor IS NULL)
                OR (\(prefix)_at IS NOT NULL AND \(prefix)_reason IS NOT NULL AND \(prefix)_actor IS NOT NULL)
            )
            """,
        ]
    }

    static let migration = Migration(
        version: 7,
        name: "control-state",
        statements: columns(table: "ledger_accounts", prefix: "frozen") + columns(table: "ledger_portfolios", prefix: "locked")
            + columns(table: "ledger_ledgers", prefix: "frozen"),
        grants: [.noDelete("ledger_accounts"), .noDelete("ledger_portfolios"), .noDelete("ledger_ledgers")]
    )
}
