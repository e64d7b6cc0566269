import StrongroomKernel

/// Holder aliases (`holder_aliases`: `HolderAliasSchema`), read directly or written in a
/// unit of work. The store keeps what it is given: whether details are well formed, pass
/// the modulus check or belong on the ledger is the caller's to decide before; the schema's
/// CHECKs and unique index hold the UK columns whatever a caller does.
public struct HolderAliasRecords: Sendable {
    /// A live alias already holds this sort code and account number (the unique index).
    public struct BankDetailsTaken: Error, Sendable, Equatable {
        public let sortCode: String
        public let accountNumber: String
    }

    /// What a list keeps: all given conditions at once.
    public struct Filter: Sendable, Equatable {
        public var holderID: String?
        public var ledgerID: String?
        public var accountID: String?
        /// Soft-deleted aliases too.
        public var includeDeleted: Bool

        public init(holderID: String? = nil, ledgerID: String? = nil, accountID: String? = nil, includeDeleted: Bool = false) {
            self.holderID = holderID
            self.ledgerID = ledgerID
            self.accountID = accountID
            self.includeDeleted = includeDeleted
        }
    }

    let executor: any SQLExecutor

    private static let columns = """
        id, organization_id, holder_id, ledger_id, account_id, sort_code, account_number, branch, account, bank_id, iban, \
        country_code, account_type, opening_date, closing_date, metadata, created_at, updated_at, deleted_at
        """

    /// Inserts a new alias; `BankDetailsTaken` when a live alias holds its UK pair.
    public func insert(_ alias: StoredHolderAlias) async throws {
        let details = alias.bankDetails
        do {
            try await executor.execute(
                """
                INSERT INTO holder_aliases (\(Self.columns))
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
                """,
                [.text(alias.id), .text(alias.organizationID), .text(alias.holderID), .text(alias.ledgerID), .text(alias.accountID)]
                    + Self.values(details)
                    + [.text(alias.metadata), .time(alias.createdAt), .time(alias.updatedAt), alias.deletedAt.map(SQLValue.time) ?? .null]
            )
        } catch is UniqueViolation {
            throw Self.taken(details)
        }
    }

    /// The holder's alias in its organization; nil when there is none, or when it is deleted
    /// and `includeDeleted` is false.
    public func find(id: String, holderID: String, organizationID: String, includeDeleted: Bool = false) async throws -> StoredHolderAlias? {
        let live = includeDeleted ? "" : " AND deleted_at IS NULL"
        return try await executor.queryOne(
            "SELECT \(Self.columns) FROM holder_aliases WHERE id = $1 AND holder_id = $2 AND organization_id = $3\(live)",
            [.text(id), .text(holderID), .text(organizationID)]
        ).map(Self.decode)
    }

    /// The organization's aliases in id order (creation order: ids are UUIDv7), after
    /// `cursor` when given, at most `limit`, keeping those `filter` keeps.
    public func list(organizationID: String, filter: Filter = Filter(), after cursor: String?, limit: Int) async throws -> [StoredHolderAlias] {
        var conditions = ["organization_id = $1", "id > $2"]
        var binds: [SQLValue] = [.text(organizationID), .text(cursor ?? "")]
        for (column, value) in [("holder_id", filter.holderID), ("ledger_id", filter.ledgerID), ("account_id", filter.accountID)] {
            guard let value else { continue }
            binds.append(.text(value))
            conditions.append("\(column) = $\(binds.count)")
        }
        if !filter.includeDeleted { conditions.append("deleted_at IS NULL") }
        return try await executor.query(
            "SELECT \(Self.columns) FROM holder_aliases WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT \(max(limit, 0))",
            binds
        ).map(Self.decode)
    }

    /// Whether a live alias holds this sort code and account number.
    public func isTaken(sortCode: String, accountNumber: String) async throws -> Bool {
        try await executor.queryOne(
            "SELECT 1 AS found FROM holder_aliases WHERE sort_code = $1 AND account_number = $2 AND deleted_at IS NULL",
            [.text(sortCode), .text(accountNumber)]
        ) != nil
    }

    /// Stores the alias's bank details, metadata and update time; false when there is no
    /// such live alias, `BankDetailsTaken` when another live alias holds its UK pair. Its
    /// holder, ledger, account and creation never change.
    public func update(_ alias: StoredHolderAlias) async throws -> Bool {
        do {
            return try await !executor.query(
                """
                UPDATE holder_aliases SET sort_code = $1, account_number = $2, branch = $3, account = $4, bank_id = $5, iban = $6,
                    country_code = $7, account_type = $8, opening_date = $9, closing_date = $10, metadata = $11, updated_at = $12
                WHERE id = $13 AND holder_id = $14 AND organization_id = $15 AND deleted_at IS NULL RETURNING id
                """,
                Self.values(alias.bankDetails)
                    + [.text(alias.metadata), .time(alias.updatedAt), .text(alias.id), .text(alias.holderID), .text(alias.organizationID)]
            ).isEmpty
        } catch is UniqueViolation {
            throw Self.taken(alias.bankDetails)
        }
    }

    /// Marks the alias deleted: reads and lists leave it out unless they ask for deleted
    /// ones, and its sort code and account number are free again. False when there is no
    /// such live alias.
    public func softDelete(id: String, holderID: String, organizationID: String, at: Timestamp) async throws -> Bool {
        try await !executor.query(
            """
            UPDATE holder_aliases SET deleted_at = $1, updated_at = $1
            WHERE id = $2 AND holder_id = $3 AND organization_id = $4 AND deleted_at IS NULL RETURNING id
            """,
            [.time(at), .text(id), .text(holderID), .text(organizationID)]
        ).isEmpty
    }

    // MARK: Rows

    private static func taken(_ details: StoredHolderAlias.BankDetails) -> BankDetailsTaken {
        BankDetailsTaken(sortCode: details.sortCode ?? "", accountNumber: details.accountNumber ?? "")
    }

    /// The ten bank detail columns, in `columns`' order.
    private static func values(_ details: StoredHolderAlias.BankDetails) -> [SQLValue] {
        [
            details.sortCode, details.accountNumber, details.branch, details.account, details.bankID, details.iban, details.countryCode,
            details.accountType, details.openingDate, details.closingDate,
        ].map(SQLValue.optional)
    }

    private static func decode(_ row: SQLRow) throws -> StoredHolderAlias {
        StoredHolderAlias(
            id: try row.text("id"), organizationID: try row.text("organization_id"), holderID: try row.text("holder_id"),
            ledgerID: try row.text("ledger_id"), accountID: try row.text("account_id"),
            bankDetails: StoredHolderAlias.BankDetails(
                sortCode: try row.optionalText("sort_code"), accountNumber: try row.optionalText("account_number"),
                branch: try row.optionalText("branch"), account: try row.optionalText("account"), bankID: try row.optionalText("bank_id"),
                iban: try row.optionalText("iban"), countryCode: try row.optionalText("country_code"),
                accountType: try row.optionalText("account_type"), openingDate: try row.optionalText("opening_date"),
                closingDate: try row.optionalText("closing_date")
            ),
            metadata: try row.text("metadata"), createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at"),
            deletedAt: try row.isNull("deleted_at") ? nil : try row.timestamp("deleted_at")
        )
    }
}
