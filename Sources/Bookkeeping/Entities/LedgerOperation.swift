import LedgerCore
import StrongroomKernel

/// A balance as an operation saw it, before or after.
public struct BalanceSnapshot: Sendable, Equatable {
    public let available: Amount
    public let onHold: Amount
    public let version: Int64

    public init(available: Amount, onHold: Amount, version: Int64) {
        self.available = available
        self.onHold = onHold
        self.version = version
    }

    public init(_ state: BalanceState) {
        self.init(available: state.available, onHold: state.onHold, version: state.version)
    }
}

/// One movement of one balance, with the balance before and after it. Operations of a
/// balance chain: each one's `before` is the previous one's `after`. Its JSON is written in
/// one place, `write(to:)` in SortedJSON+Entities.swift, alone or inside its transaction.
public struct LedgerOperation: Sendable, Equatable {
    public let id: String
    public let transactionID: String
    public let organizationID: String
    public let ledgerID: String
    public let accountID: String
    public let accountAlias: String
    public let balanceID: String
    public let assetCode: String
    public let type: MovementKind
    public var description: String?
    public let chartOfAccounts: String?
    public let amount: Amount
    public let before: BalanceSnapshot
    public let after: BalanceSnapshot
    public let status: TransactionStatus
    public var metadata: Metadata
    public let createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: String, transactionID: String, organizationID: String, ledgerID: String, accountID: String, accountAlias: String,
        balanceID: String, assetCode: String, type: MovementKind, description: String?, chartOfAccounts: String?, amount: Amount,
        before: BalanceSnapshot, after: BalanceSnapshot, status: TransactionStatus, metadata: Metadata, createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.id = id
        self.transactionID = transactionID
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.accountID = accountID
        self.accountAlias = accountAlias
        self.balanceID = balanceID
        self.assetCode = assetCode
        self.type = type
        self.description = description
        self.chartOfAccounts = chartOfAccounts
        self.amount = amount
        self.before = before
        self.after = after
        self.status = status
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// `PATCH` of a transaction or an operation: the only things that ever change on them.
public struct AnnotationChanges: Sendable, Decodable {
    public let description: String?
    public let metadata: Metadata?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case description, metadata
    }

    public func validate() throws(StrongroomError) {
        try FieldRules.optionalText(description, field: "description", max: 256)
        try metadata?.validate()
    }
}
