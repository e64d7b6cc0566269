/// Migration 11: holder aliases, each linking a holder to a ledger account, with the
/// account's bank details (issue 29, items 1 and 5; "Holders: personal data sealed field by
/// field" in docs/ARCHITECTURE.md).
///
/// - `ledger_ledgers.bank_details`: the ledger's `bankDetails` setting, NULL or `'uk'`. Set
///   when the ledger is created and never changed (`Onboarding` refuses a change; the column
///   holds only the value).
/// - `holder_aliases`: one row per alias, soft-deleted. Bank details are not a person's data
///   (what ties them to a person is the sealed holder), so they are plain columns. A UK
///   ledger's alias holds its sort code and account number in `sort_code` and
///   `account_number`, which CHECK constraints hold to exactly six and eight ASCII digits,
///   both or neither, and a unique index holds to one live alias per pair (across every
///   organization: a sort code and account number name one account in the UK). Another
///   ledger's alias keeps Midaz's free `branch` and `account` in their own columns, so the
///   checked columns never hold unchecked text. The related parties (people's names and
///   documents) are not here.
///
/// The digit CHECKs cannot be written once for both backends (SQLite has no regular
/// expression, PostgreSQL no GLOB), so the table is created per dialect with the same
/// columns; PostgreSQL's pattern lists the ten digits rather than a range, which a collation
/// could widen.
enum HolderAliasSchema {
    /// The columns of `holder_aliases` that change after the insert (`HolderAliasRecords`).
    static let changeable = [
        "sort_code", "account_number", "branch", "account", "bank_id", "iban", "country_code", "account_type", "opening_date",
        "closing_date", "metadata", "updated_at", "deleted_at",
    ]

    static func table(sortCode: String, accountNumber: String) -> String {
        """
        CREATE TABLE holder_aliases (
            id TEXT PRIMARY KEY,
            organization_id TEXT NOT NULL,
            holder_id TEXT NOT NULL REFERENCES holders (id),
            ledger_id TEXT NOT NULL REFERENCES ledger_ledgers (id),
            account_id TEXT NOT NULL REFERENCES ledger_accounts (id),
            sort_code TEXT CHECK (\(sortCode)),
            account_number TEXT CHECK (\(accountNumber)),
            branch TEXT,
            account TEXT,
            bank_id TEXT,
            iban TEXT,
            country_code TEXT,
            account_type TEXT,
            opening_date TEXT,
            closing_date TEXT,
            metadata TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            deleted_at BIGINT,
            CHECK ((sort_code IS NULL) = (account_number IS NULL)),
            CHECK (sort_code IS NULL OR (branch IS NULL AND account IS NULL))
        )
        """
    }

    static let migration = Migration(
        version: 11,
        name: "holder aliases",
        statements: [
            "ALTER TABLE ledger_ledgers ADD COLUMN bank_details TEXT CHECK (bank_details IN ('uk'))",
        ],
        dialectStatements: [
            .sqlite: [
                table(
                    sortCode: "sort_code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'",
                    accountNumber: "account_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'"
                ),
            ] + indexes,
            .postgres: [
                table(
                    sortCode: "sort_code ~ '^[0123456789]{6}$' AND octet_length(sort_code) = 6",
                    accountNumber: "account_number ~ '^[0123456789]{8}$' AND octet_length(account_number) = 8"
                ),
            ] + indexes,
        ],
        grants: [.appendOnly("holder_aliases", updating: changeable)]
    )

    /// One live alias per sort code and account number; the list in id order by
    /// organization, and its filters by holder and by ledger account.
    private static let indexes = [
        "CREATE UNIQUE INDEX holder_aliases_bank_details ON holder_aliases (sort_code, account_number) WHERE deleted_at IS NULL AND sort_code IS NOT NULL",
        "CREATE INDEX holder_aliases_organization ON holder_aliases (organization_id, id)",
        "CREATE INDEX holder_aliases_holder ON holder_aliases (holder_id, id)",
        "CREATE INDEX holder_aliases_account ON holder_aliases (ledger_id, account_id)",
    ]
}
