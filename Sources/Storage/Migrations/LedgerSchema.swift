/// Migration 2: the ledger's tables (see "Data model" in docs/ARCHITECTURE.md).
///
/// Amounts are decimal text of signed minor units, with the scale beside them; times are
/// microseconds since the epoch; metadata is a JSON object as text. Nothing in the ledger
/// is ever removed by the service role: deletes are soft, so its grants have no DELETE
/// (except on stored idempotent responses, which expire).
enum LedgerSchema {
    /// The columns every onboarding entity has after its own.
    private static let common = """
        status_code TEXT NOT NULL,
        status_description TEXT,
        metadata TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        deleted_at BIGINT
        """

    static let migration = Migration(
        version: 2,
        name: "ledger",
        statements: [
            """
            CREATE TABLE ledger_organizations (
                id TEXT PRIMARY KEY,
                parent_organization_id TEXT,
                legal_name TEXT NOT NULL,
                doing_business_as TEXT,
                legal_document TEXT NOT NULL,
                address TEXT,
                \(common)
            )
            """,
            """
            CREATE TABLE ledger_ledgers (
                id TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES ledger_organizations (id),
                name TEXT NOT NULL,
                \(common)
            )
            """,
            "CREATE INDEX ledger_ledgers_organization ON ledger_ledgers (organization_id, id)",
            """
            CREATE TABLE ledger_assets (
                id TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL,
                ledger_id TEXT NOT NULL REFERENCES ledger_ledgers (id),
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                code TEXT NOT NULL,
                scale INTEGER NOT NULL CHECK (scale BETWEEN 0 AND 18),
                \(common)
            )
            """,
            "CREATE UNIQUE INDEX ledger_assets_code ON ledger_assets (ledger_id, code) WHERE deleted_at IS NULL",
            """
            CREATE TABLE ledger_portfolios (
                id TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL,
                ledger_id TEXT NOT NULL REFERENCES ledger_ledgers (id),
                name TEXT NOT NULL,
                entity_id TEXT,
                \(common)
            )
            """,
            "CREATE INDEX ledger_portfolios_ledger ON ledger_portfolios (ledger_id, id)",
            """
            CREATE TABLE ledger_segments (
                id TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL,
                ledger_id TEXT NOT NULL REFERENCES ledger_ledgers (id),
                name TEXT NOT NULL,
                \(common)
            )
            """,
            "CREATE INDEX ledger_segments_ledger ON ledger_segments (ledger_id, id)",
            """
            CREATE TABLE ledger_accounts (
                id TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL,
                ledger_id TEXT NOT NULL REFERENCES ledger_ledgers (id),
                asset_code TEXT NOT NULL,
                name TEXT,
                alias TEXT NOT NULL,
                type TEXT NOT NULL,
                parent_account_id TEXT,
                entity_id TEXT,
                portfolio_id TEXT,
                segment_id TEXT,
                blocked BOOLEAN NOT NULL,
                \(common)
            )
            """,
            "CREATE UNIQUE INDEX ledger_accounts_alias ON ledger_accounts (ledger_id, alias) WHERE deleted_at IS NULL",
            "CREATE INDEX ledger_accounts_ledger ON ledger_accounts (ledger_id, id)",
            """
            CREATE TABLE ledger_balances (
                id TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL,
                ledger_id TEXT NOT NULL,
                account_id TEXT NOT NULL REFERENCES ledger_accounts (id),
                alias TEXT NOT NULL,
                asset_code TEXT NOT NULL,
                account_type TEXT NOT NULL,
                scale INTEGER NOT NULL,
                available TEXT NOT NULL,
                on_hold TEXT NOT NULL,
                version BIGINT NOT NULL,
                allow_sending BOOLEAN NOT NULL,
                allow_receiving BOOLEAN NOT NULL,
                allow_overdraft BOOLEAN NOT NULL,
                overdraft_limit TEXT NOT NULL,
                external BOOLEAN NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                deleted_at BIGINT
            )
            """,
            "CREATE INDEX ledger_balances_account ON ledger_balances (account_id)",
            "CREATE INDEX ledger_balances_alias ON ledger_balances (ledger_id, alias) WHERE deleted_at IS NULL",
            """
            CREATE TABLE ledger_transactions (
                id TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL,
                ledger_id TEXT NOT NULL REFERENCES ledger_ledgers (id),
                parent_transaction_id TEXT,
                description TEXT,
                code TEXT,
                chart_of_accounts_group_name TEXT,
                status TEXT NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'CANCELED')),
                status_description TEXT,
                amount TEXT NOT NULL,
                scale INTEGER NOT NULL,
                asset_code TEXT NOT NULL,
                legs TEXT NOT NULL,
                pending BOOLEAN NOT NULL,
                pending_expires_at BIGINT,
                reverted_by TEXT UNIQUE,
                metadata TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ledger_transactions_ledger ON ledger_transactions (ledger_id, id)",
            """
            CREATE INDEX ledger_transactions_expiry ON ledger_transactions (pending_expires_at)
            WHERE status = 'PENDING' AND pending_expires_at IS NOT NULL
            """,
            """
            CREATE TABLE ledger_operations (
                id TEXT PRIMARY KEY,
                transaction_id TEXT NOT NULL REFERENCES ledger_transactions (id),
                organization_id TEXT NOT NULL,
                ledger_id TEXT NOT NULL,
                account_id TEXT NOT NULL,
                account_alias TEXT NOT NULL,
                balance_id TEXT NOT NULL REFERENCES ledger_balances (id),
                asset_code TEXT NOT NULL,
                type TEXT NOT NULL CHECK (type IN ('DEBIT', 'CREDIT', 'ON_HOLD', 'RELEASE')),
                description TEXT,
                chart_of_accounts TEXT,
                amount TEXT NOT NULL,
                scale INTEGER NOT NULL,
                available_before TEXT NOT NULL,
                on_hold_before TEXT NOT NULL,
                version_before BIGINT NOT NULL,
                available_after TEXT NOT NULL,
                on_hold_after TEXT NOT NULL,
                version_after BIGINT NOT NULL,
                status TEXT NOT NULL,
                metadata TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                CHECK (version_after = version_before + 1)
            )
            """,
            // One operation per balance version: the chain of a balance's operations cannot
            // fork, whatever a buggy or racing writer tries.
            "CREATE UNIQUE INDEX ledger_operations_balance_version ON ledger_operations (balance_id, version_after)",
            "CREATE INDEX ledger_operations_transaction ON ledger_operations (transaction_id, id)",
            "CREATE INDEX ledger_operations_account ON ledger_operations (account_id, id)",
            """
            CREATE TABLE ledger_idempotency (
                scope TEXT PRIMARY KEY,
                request_hash TEXT NOT NULL,
                status INTEGER NOT NULL,
                body {BYTES} NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ledger_idempotency_expiry ON ledger_idempotency (expires_at)",
        ],
        grants: [
            .noDelete("ledger_organizations"), .noDelete("ledger_ledgers"), .noDelete("ledger_assets"), .noDelete("ledger_portfolios"),
            .noDelete("ledger_segments"), .noDelete("ledger_accounts"), .noDelete("ledger_balances"), .noDelete("ledger_transactions"),
            .noDelete("ledger_operations"), .readWrite("ledger_idempotency"),
        ]
    )
}
