/// Migration 6: the database itself guards posted transactions and operations (see "The
/// ledger's history" under "Enforcement in the database" in docs/ARCHITECTURE.md).
///
/// Migration 2 granted the service role UPDATE on every column of both tables, so a bug or
/// an injected statement could rewrite an amount, a leg, an account or a status, and the
/// owner could always. Now the service role may UPDATE only the columns the product writes,
/// and triggers that fire for every role, the owner included, accept only what the posting
/// path and the PATCH routes do:
///
/// - `description`, `metadata` and their `updated_at` (both tables);
/// - a transaction's `status` moving once, from `PENDING` to `APPROVED` or `CANCELED`, with
///   its `status_description`;
/// - a transaction's `reverted_by` set once, from null, on an approved transaction that is
///   not itself a reversal (`parent_transaction_id` is null).
///
/// Every other change is refused, and so are DELETE and (PostgreSQL) TRUNCATE. On
/// PostgreSQL the update trigger compares the whole row but the changeable columns, so a
/// column a later migration adds is frozen unless that migration says otherwise; SQLite's
/// triggers name the frozen columns, and `LedgerHistoryGuardTests` checks that the two lists
/// cover each table's columns exactly.
enum LedgerHistoryGuardSchema {
    /// The start of every refusal's message, on both backends.
    static let refusal = "ledger history is append-only"

    /// Columns the product changes after the insert (`SQLLedgerStore`'s UPDATEs).
    static let transactionChangeable = ["description", "metadata", "status", "status_description", "reverted_by", "updated_at"]
    static let transactionFrozen = [
        "id", "organization_id", "ledger_id", "parent_transaction_id", "code", "chart_of_accounts_group_name", "amount", "scale",
        "asset_code", "legs", "pending", "pending_expires_at", "created_at",
    ]
    static let operationChangeable = ["description", "metadata", "updated_at"]
    static let operationFrozen = [
        "id", "transaction_id", "organization_id", "ledger_id", "account_id", "account_alias", "balance_id", "asset_code", "type",
        "chart_of_accounts", "amount", "scale", "available_before", "on_hold_before", "version_before", "available_after",
        "on_hold_after", "version_after", "status", "created_at",
    ]

    static let frozenMessage = "\(refusal): only description and metadata of a posted row change"
    static let statusMessage = "\(refusal): a status moves once, from PENDING to APPROVED or CANCELED"
    static let revertedByMessage = "\(refusal): reverted_by is set once, on an approved transaction that is not a reversal"

    /// A status change the lifecycle allows, in both dialects (`IS` is SQLite's null-safe
    /// equality; PostgreSQL spells it `IS NOT DISTINCT FROM`).
    static func statusMoveAllowed(same: String) -> String {
        "(OLD.status = 'PENDING' AND NEW.status IN ('APPROVED', 'CANCELED')) OR (NEW.status \(same) OLD.status AND NEW.status_description \(same) OLD.status_description)"
    }

    static func revertedByAllowed(same: String) -> String {
        "NEW.reverted_by \(same) OLD.reverted_by OR (OLD.reverted_by IS NULL AND OLD.status = 'APPROVED' AND OLD.parent_transaction_id IS NULL)"
    }

    private static func sqlArray(_ columns: [String]) -> String {
        "ARRAY[" + columns.map { "'\($0)'" }.joined(separator: ", ") + "]"
    }

    /// The whole row but `changeable`, as JSON, for PostgreSQL's comparison.
    private static func frozenPart(_ row: String, _ changeable: [String]) -> String {
        "to_jsonb(\(row)) - \(sqlArray(changeable))"
    }

    private static func anyChanged(_ columns: [String]) -> String {
        columns.map { "NEW.\($0) IS NOT OLD.\($0)" }.joined(separator: " OR ")
    }

    private static let postgres: [String] = [
        """
        CREATE FUNCTION ledger_history_refuse_removal() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '\(refusal): % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """,
        """
        CREATE FUNCTION ledger_transactions_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF \(frozenPart("NEW", transactionChangeable)) IS DISTINCT FROM \(frozenPart("OLD", transactionChangeable)) THEN
                RAISE EXCEPTION '\(frozenMessage) (transaction %)', OLD.id USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF NOT (\(statusMoveAllowed(same: "IS NOT DISTINCT FROM"))) THEN
                RAISE EXCEPTION '\(statusMessage) (transaction %)', OLD.id USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF NOT (\(revertedByAllowed(same: "IS NOT DISTINCT FROM"))) THEN
                RAISE EXCEPTION '\(revertedByMessage) (transaction %)', OLD.id USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END
        $$
        """,
        """
        CREATE FUNCTION ledger_operations_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF \(frozenPart("NEW", operationChangeable)) IS DISTINCT FROM \(frozenPart("OLD", operationChangeable)) THEN
                RAISE EXCEPTION '\(frozenMessage) (operation %)', OLD.id USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END
        $$
        """,
        """
        CREATE TRIGGER ledger_transactions_guard BEFORE UPDATE ON ledger_transactions
            FOR EACH ROW EXECUTE FUNCTION ledger_transactions_refuse_rewrite()
        """,
        """
        CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
            FOR EACH ROW EXECUTE FUNCTION ledger_history_refuse_removal()
        """,
        """
        CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_history_refuse_removal()
        """,
        """
        CREATE TRIGGER ledger_operations_guard BEFORE UPDATE ON ledger_operations
            FOR EACH ROW EXECUTE FUNCTION ledger_operations_refuse_rewrite()
        """,
        """
        CREATE TRIGGER ledger_operations_no_delete BEFORE DELETE ON ledger_operations
            FOR EACH ROW EXECUTE FUNCTION ledger_history_refuse_removal()
        """,
        """
        CREATE TRIGGER ledger_operations_no_truncate BEFORE TRUNCATE ON ledger_operations
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_history_refuse_removal()
        """,
    ]

    private static let sqlite: [String] = [
        """
        CREATE TRIGGER ledger_transactions_frozen BEFORE UPDATE ON ledger_transactions
        WHEN \(anyChanged(transactionFrozen))
        BEGIN SELECT RAISE(ABORT, '\(frozenMessage)'); END
        """,
        """
        CREATE TRIGGER ledger_transactions_status_once BEFORE UPDATE ON ledger_transactions
        WHEN NOT (\(statusMoveAllowed(same: "IS")))
        BEGIN SELECT RAISE(ABORT, '\(statusMessage)'); END
        """,
        """
        CREATE TRIGGER ledger_transactions_reverted_once BEFORE UPDATE ON ledger_transactions
        WHEN NOT (\(revertedByAllowed(same: "IS")))
        BEGIN SELECT RAISE(ABORT, '\(revertedByMessage)'); END
        """,
        """
        CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
        BEGIN SELECT RAISE(ABORT, '\(refusal): DELETE on ledger_transactions refused'); END
        """,
        """
        CREATE TRIGGER ledger_operations_frozen BEFORE UPDATE ON ledger_operations
        WHEN \(anyChanged(operationFrozen))
        BEGIN SELECT RAISE(ABORT, '\(frozenMessage)'); END
        """,
        """
        CREATE TRIGGER ledger_operations_no_delete BEFORE DELETE ON ledger_operations
        BEGIN SELECT RAISE(ABORT, '\(refusal): DELETE on ledger_operations refused'); END
        """,
    ]

    static let migration = Migration(
        version: 6,
        name: "ledger-history-guard",
        statements: [],
        dialectStatements: [.postgres: postgres, .sqlite: sqlite],
        grants: [
            .appendOnly("ledger_transactions", updating: transactionChangeable),
            .appendOnly("ledger_operations", updating: operationChangeable),
        ]
    )
}
