import Bookkeeping
import Controls
import Foundation
import LedgerCore
import StrongroomKernel

/// How an onboarding entity maps to its table: its columns in order (`id` first), its
/// values in the same order, and how to read it back.
protocol SQLEntity: LedgerRecord {
    static var table: String { get }
    static var columns: [String] { get }
    /// Columns read with the entity but never written by its insert or update: a freeze's
    /// or lock's, which only the control routes set, so a PATCH racing a freeze cannot lift it.
    static var readOnlyColumns: [String] { get }
    var values: [SQLValue] { get }
    init(row: SQLRow) throws
}

extension SQLEntity {
    static var readOnlyColumns: [String] { [] }
    /// The columns an insert writes, in `values`' order.
    static var columnList: String { columns.joined(separator: ", ") }
    /// The columns a read selects: the written ones, then the read-only ones.
    static var selectList: String { (columns + readOnlyColumns).joined(separator: ", ") }
}

/// The status, metadata and time columns every onboarding table ends with.
private func commonValues(_ status: EntityStatus, _ metadata: Metadata, _ createdAt: Timestamp, _ updatedAt: Timestamp) -> [SQLValue] {
    [.text(status.code), status.description.map(SQLValue.text) ?? .null, .text(metadata.json), .int(createdAt.microsecondsSinceEpoch),
     .int(updatedAt.microsecondsSinceEpoch)]
}

private let commonColumns = ["status_code", "status_description", "metadata", "created_at", "updated_at"]

extension SQLRow {
    func status() throws -> EntityStatus {
        EntityStatus(code: try text("status_code"), description: try optionalText("status_description"))
    }

    func metadata(_ column: String = "metadata") throws -> Metadata {
        do {
            return try Metadata(json: try text(column))
        } catch {
            throw StorageError.decoding("column \(column) is not metadata JSON")
        }
    }

    /// Minor units stored as decimal text, at `scale`.
    func amount(_ column: String, scale: Int) throws -> Amount {
        guard let minor = Int128(try text(column)), let amount = try? Amount(minorUnits: minor, scale: scale) else {
            throw StorageError.decoding("column \(column) is not an amount")
        }
        return amount
    }

    func scale() throws -> Int { Int(try int("scale")) }

    func optionalInt(_ name: String) throws -> Int64? { try isNull(name) ? nil : int(name) }
}

extension SQLValue {
    static func amount(_ amount: Amount) -> SQLValue { .text(String(amount.minorUnits)) }
    static func time(_ time: Timestamp) -> SQLValue { .int(time.microsecondsSinceEpoch) }
    static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
}

extension Organization: SQLEntity {
    static let table = "ledger_organizations"
    static let columns = ["id", "parent_organization_id", "legal_name", "doing_business_as", "legal_document", "address"] + commonColumns

    var values: [SQLValue] {
        let address = self.address.flatMap { try? JSONEncoder().encode($0) }.map { SQLValue.text(String(decoding: $0, as: UTF8.self)) }
        return [.text(id), .optional(parentOrganizationID), .text(legalName), .optional(doingBusinessAs), .text(legalDocument), address ?? .null]
            + commonValues(status, metadata, createdAt, updatedAt)
    }

    init(row: SQLRow) throws {
        let address = try row.optionalText("address").map { try JSONDecoder().decode(Address.self, from: Data($0.utf8)) }
        self.init(
            id: try row.text("id"), parentOrganizationID: try row.optionalText("parent_organization_id"), legalName: try row.text("legal_name"),
            doingBusinessAs: try row.optionalText("doing_business_as"), legalDocument: try row.text("legal_document"), address: address,
            status: try row.status(), metadata: try row.metadata(), createdAt: try row.timestamp("created_at"),
            updatedAt: try row.timestamp("updated_at")
        )
    }
}

extension Ledger: SQLEntity {
    static let table = "ledger_ledgers"
    static let columns = ["id", "organization_id", "name"] + commonColumns + ["bank_details"]
    static let readOnlyColumns = ControlColumns.names(.ledger)

    var values: [SQLValue] {
        [.text(id), .text(organizationID), .text(name)] + commonValues(status, metadata, createdAt, updatedAt)
            + [.optional(settings?.bankDetails)]
    }

    init(row: SQLRow) throws {
        self.init(
            id: try row.text("id"), organizationID: try row.text("organization_id"), name: try row.text("name"), status: try row.status(),
            metadata: try row.metadata(), createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at"),
            freeze: try row.controlRecord(.ledger), settings: LedgerSettings(bankDetails: try row.optionalText("bank_details"))
        )
    }
}

extension Asset: SQLEntity {
    static let table = "ledger_assets"
    static let columns = ["id", "organization_id", "ledger_id", "name", "type", "code", "scale"] + commonColumns

    var values: [SQLValue] {
        [.text(id), .text(organizationID), .text(ledgerID), .text(name), .text(type.rawValue), .text(code), .int(Int64(scale))]
            + commonValues(status, metadata, createdAt, updatedAt)
    }

    init(row: SQLRow) throws {
        guard let kind = Asset.Kind(rawValue: try row.text("type")) else { throw StorageError.decoding("unknown asset type") }
        self.init(
            id: try row.text("id"), organizationID: try row.text("organization_id"), ledgerID: try row.text("ledger_id"),
            name: try row.text("name"), type: kind, code: try row.text("code"), scale: try row.scale(), status: try row.status(),
            metadata: try row.metadata(), createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at")
        )
    }
}

extension Portfolio: SQLEntity {
    static let table = "ledger_portfolios"
    static let columns = ["id", "organization_id", "ledger_id", "name", "entity_id"] + commonColumns
    static let readOnlyColumns = ControlColumns.names(.portfolio)

    var values: [SQLValue] {
        [.text(id), .text(organizationID), .text(ledgerID), .text(name), .optional(entityID)] + commonValues(status, metadata, createdAt, updatedAt)
    }

    init(row: SQLRow) throws {
        self.init(
            id: try row.text("id"), organizationID: try row.text("organization_id"), ledgerID: try row.text("ledger_id"),
            name: try row.text("name"), entityID: try row.optionalText("entity_id"), status: try row.status(), metadata: try row.metadata(),
            createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at"), lock: try row.controlRecord(.portfolio)
        )
    }
}

extension Segment: SQLEntity {
    static let table = "ledger_segments"
    static let columns = ["id", "organization_id", "ledger_id", "name"] + commonColumns

    var values: [SQLValue] {
        [.text(id), .text(organizationID), .text(ledgerID), .text(name)] + commonValues(status, metadata, createdAt, updatedAt)
    }

    init(row: SQLRow) throws {
        self.init(
            id: try row.text("id"), organizationID: try row.text("organization_id"), ledgerID: try row.text("ledger_id"),
            name: try row.text("name"), status: try row.status(), metadata: try row.metadata(), createdAt: try row.timestamp("created_at"),
            updatedAt: try row.timestamp("updated_at")
        )
    }
}

extension Account: SQLEntity {
    static let table = "ledger_accounts"
    static let columns = [
        "id", "organization_id", "ledger_id", "asset_code", "name", "alias", "type", "parent_account_id", "entity_id", "portfolio_id",
        "segment_id", "blocked",
    ] + commonColumns
    static let readOnlyColumns = ControlColumns.names(.account)

    var values: [SQLValue] {
        [
            .text(id), .text(organizationID), .text(ledgerID), .text(assetCode), .optional(name), .text(alias), .text(type),
            .optional(parentAccountID), .optional(entityID), .optional(portfolioID), .optional(segmentID), .bool(blocked),
        ] + commonValues(status, metadata, createdAt, updatedAt)
    }

    init(row: SQLRow) throws {
        self.init(
            id: try row.text("id"), organizationID: try row.text("organization_id"), ledgerID: try row.text("ledger_id"),
            assetCode: try row.text("asset_code"), name: try row.optionalText("name"), alias: try row.text("alias"), type: try row.text("type"),
            parentAccountID: try row.optionalText("parent_account_id"), entityID: try row.optionalText("entity_id"),
            portfolioID: try row.optionalText("portfolio_id"), segmentID: try row.optionalText("segment_id"), blocked: try row.bool("blocked"),
            status: try row.status(), metadata: try row.metadata(), createdAt: try row.timestamp("created_at"),
            updatedAt: try row.timestamp("updated_at"), freeze: try row.controlRecord(.account)
        )
    }
}

/// Balances, transactions and operations have their own columns and statements.
enum LedgerRows {
    static let balanceColumns = """
        b.id, b.organization_id, b.ledger_id, b.account_id, b.alias, b.asset_code, b.account_type, b.scale, b.available, b.on_hold, \
        b.version, b.allow_sending, b.allow_receiving, b.allow_overdraft, b.overdraft_limit, b.external, b.created_at, b.updated_at, \
        a.blocked, a.frozen_at IS NOT NULL AS account_frozen, \
        (p.locked_at IS NOT NULL AND p.deleted_at IS NULL) AS portfolio_locked, l.frozen_at IS NOT NULL AS ledger_frozen
        """

    /// Balances are read joined with their account (`a`) for its `blocked` flag and freeze,
    /// its portfolio (`p`, if any) for a lock and its ledger (`l`) for a freeze: each by
    /// primary key, in the statement that locks the balances, so the controls cost the
    /// posting no query of their own.
    static let balanceFrom = """
        ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id \
        LEFT JOIN ledger_portfolios p ON p.id = a.portfolio_id JOIN ledger_ledgers l ON l.id = b.ledger_id
        """

    static func balance(_ row: SQLRow) throws -> Balance {
        let scale = try row.scale()
        let state = BalanceState(
            available: try row.amount("available", scale: scale), onHold: try row.amount("on_hold", scale: scale),
            version: try row.int("version"), allowSending: try row.bool("allow_sending"), allowReceiving: try row.bool("allow_receiving"),
            allowOverdraft: try row.bool("allow_overdraft"), overdraftLimit: try row.amount("overdraft_limit", scale: scale),
            isExternal: try row.bool("external"), accountBlocked: try row.bool("blocked")
        )
        return Balance(
            id: try row.text("id"), organizationID: try row.text("organization_id"), ledgerID: try row.text("ledger_id"),
            accountID: try row.text("account_id"), alias: try row.text("alias"), assetCode: try row.text("asset_code"),
            accountType: try row.text("account_type"), state: state,
            controls: ControlState(
                blocked: try row.bool("blocked"), accountFrozen: try row.bool("account_frozen"),
                portfolioLocked: try row.bool("portfolio_locked"), ledgerFrozen: try row.bool("ledger_frozen")
            ),
            createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at")
        )
    }

    static let transactionColumns = """
        id, organization_id, ledger_id, parent_transaction_id, description, code, chart_of_accounts_group_name, status, \
        status_description, amount, scale, asset_code, legs, pending, pending_expires_at, reverted_by, metadata, created_at, updated_at
        """

    static let transactionColumnCount = 19

    static func transactionValues(_ t: Transaction) throws -> [SQLValue] {
        let legs = String(decoding: SortedJSONWriter.write(t.legs, capacity: 512), as: UTF8.self)
        return [
            .text(t.id), .text(t.organizationID), .text(t.ledgerID), .optional(t.parentTransactionID), .optional(t.description), .optional(t.code),
            .optional(t.chartOfAccountsGroupName), .text(t.status.rawValue), .optional(t.statusDescription), .amount(t.amount),
            .int(Int64(t.amount.scale)), .text(t.assetCode), .text(legs), .bool(t.pending), t.pendingExpiresAt.map(SQLValue.time) ?? .null,
            .optional(t.revertedBy), .text(t.metadata.json), .time(t.createdAt), .time(t.updatedAt),
        ]
    }

    static func transaction(_ row: SQLRow) throws -> Transaction {
        let scale = try row.scale()
        guard let status = TransactionStatus(rawValue: try row.text("status")),
            let legs = try? JSONDecoder().decode([TransactionLeg].self, from: Data(try row.text("legs").utf8))
        else { throw StorageError.decoding("a transaction's status or legs are corrupt") }
        return Transaction(
            id: try row.text("id"), organizationID: try row.text("organization_id"), ledgerID: try row.text("ledger_id"),
            parentTransactionID: try row.optionalText("parent_transaction_id"), description: try row.optionalText("description"),
            code: try row.optionalText("code"), chartOfAccountsGroupName: try row.optionalText("chart_of_accounts_group_name"),
            status: status, statusDescription: try row.optionalText("status_description"), amount: try row.amount("amount", scale: scale),
            assetCode: try row.text("asset_code"), legs: legs, pending: try row.bool("pending"),
            pendingExpiresAt: try row.optionalInt("pending_expires_at").map(Timestamp.init(microsecondsSinceEpoch:)),
            revertedBy: try row.optionalText("reverted_by"), metadata: try row.metadata(), createdAt: try row.timestamp("created_at"),
            updatedAt: try row.timestamp("updated_at")
        )
    }

    static let operationColumns = """
        id, transaction_id, organization_id, ledger_id, account_id, account_alias, balance_id, asset_code, type, description, \
        chart_of_accounts, amount, scale, available_before, on_hold_before, version_before, available_after, on_hold_after, version_after, \
        status, metadata, created_at, updated_at
        """

    static let operationColumnCount = 23

    static func operationValues(_ o: LedgerOperation) -> [SQLValue] {
        [
            .text(o.id), .text(o.transactionID), .text(o.organizationID), .text(o.ledgerID), .text(o.accountID), .text(o.accountAlias),
            .text(o.balanceID), .text(o.assetCode), .text(o.type.rawValue), .optional(o.description), .optional(o.chartOfAccounts),
            .amount(o.amount), .int(Int64(o.amount.scale)), .amount(o.before.available), .amount(o.before.onHold), .int(o.before.version),
            .amount(o.after.available), .amount(o.after.onHold), .int(o.after.version), .text(o.status.rawValue), .text(o.metadata.json),
            .time(o.createdAt), .time(o.updatedAt),
        ]
    }

    static func operation(_ row: SQLRow) throws -> LedgerOperation {
        let scale = try row.scale()
        guard let kind = MovementKind(rawValue: try row.text("type")), let status = TransactionStatus(rawValue: try row.text("status")) else {
            throw StorageError.decoding("an operation's type or status is corrupt")
        }
        return LedgerOperation(
            id: try row.text("id"), transactionID: try row.text("transaction_id"), organizationID: try row.text("organization_id"),
            ledgerID: try row.text("ledger_id"), accountID: try row.text("account_id"), accountAlias: try row.text("account_alias"),
            balanceID: try row.text("balance_id"), assetCode: try row.text("asset_code"), type: kind,
            description: try row.optionalText("description"), chartOfAccounts: try row.optionalText("chart_of_accounts"),
            amount: try row.amount("amount", scale: scale),
            before: BalanceSnapshot(
                available: try row.amount("available_before", scale: scale), onHold: try row.amount("on_hold_before", scale: scale),
                version: try row.int("version_before")
            ),
            after: BalanceSnapshot(
                available: try row.amount("available_after", scale: scale), onHold: try row.amount("on_hold_after", scale: scale),
                version: try row.int("version_after")
            ),
            status: status, metadata: try row.metadata(), createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at")
        )
    }
}
