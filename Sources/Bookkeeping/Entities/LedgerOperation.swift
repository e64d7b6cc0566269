import LedgerCore
import StrongroomKernel

/// A balance as an operation saw it, before or after.
public struct BalanceSnapshot: Sendable, Equatable, Encodable {
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
/// balance chain: each one's `before` is the previous one's `after`.
public struct LedgerOperation: Sendable, Equatable, Encodable {
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

    enum CodingKeys: String, CodingKey {
        case id, accountAlias, assetCode, type, description, chartOfAccounts, amount, status, metadata, createdAt, updatedAt
        case transactionID = "transactionId"
        case organizationID = "organizationId"
        case ledgerID = "ledgerId"
        case accountID = "accountId"
        case balanceID = "balanceId"
        case before = "balance"
        case after = "balanceAfter"
    }

    private struct Value: Encodable {
        let value: Amount
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(transactionID, forKey: .transactionID)
        try container.encode(organizationID, forKey: .organizationID)
        try container.encode(ledgerID, forKey: .ledgerID)
        try container.encode(accountID, forKey: .accountID)
        try container.encode(accountAlias, forKey: .accountAlias)
        try container.encode(balanceID, forKey: .balanceID)
        try container.encode(assetCode, forKey: .assetCode)
        try container.encode(type.rawValue, forKey: .type)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encodeIfPresent(chartOfAccounts, forKey: .chartOfAccounts)
        try container.encode(Value(value: amount), forKey: .amount)
        try container.encode(before, forKey: .before)
        try container.encode(after, forKey: .after)
        try container.encode(EntityStatus(code: status.rawValue), forKey: .status)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
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
