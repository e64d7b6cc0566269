import LedgerCore
import StrongroomKernel

/// A transaction's place in its lifecycle. Pending moves once, to approved or cancelled.
public enum TransactionStatus: String, Sendable, Codable {
    case pending = "PENDING"
    case approved = "APPROVED"
    case canceled = "CANCELED"
}

/// One resolved leg as the transaction keeps it: which balance, how much, and the leg's
/// own annotations. Commit and cancel replay a pending transaction's legs from here.
public struct TransactionLeg: Sendable, Equatable, Codable {
    public enum Side: String, Sendable, Codable {
        case source, destination
    }

    public let side: Side
    public let accountID: String
    public let balanceID: String
    public let alias: String
    /// Minor units, as decimal text; the scale is the transaction's asset's.
    public let minorUnits: String
    public let description: String?
    public let chartOfAccounts: String?
    public let metadata: Metadata?

    public init(
        side: Side, accountID: String, balanceID: String, alias: String, amount: Amount, description: String?,
        chartOfAccounts: String?, metadata: Metadata?
    ) {
        self.init(
            side: side, accountID: accountID, balanceID: balanceID, alias: alias, minorUnits: String(amount.minorUnits),
            description: description, chartOfAccounts: chartOfAccounts, metadata: metadata
        )
    }

    public init(
        side: Side, accountID: String, balanceID: String, alias: String, minorUnits: String, description: String?,
        chartOfAccounts: String?, metadata: Metadata?
    ) {
        self.side = side
        self.accountID = accountID
        self.balanceID = balanceID
        self.alias = alias
        self.minorUnits = minorUnits
        self.description = description
        self.chartOfAccounts = chartOfAccounts
        self.metadata = metadata
    }

    public func amount(scale: Int) throws -> Amount {
        guard let minor = Int128(minorUnits) else { throw StrongroomError(.internalError, "A stored leg amount is corrupt.") }
        return try Amount(minorUnits: minor, scale: scale)
    }
}

/// A posted transaction with its operations. Never edited in place: only its description
/// and metadata change, its status moves once out of pending, and `revertedBy` is set once.
/// Its JSON is written in one place, `write(to:)` in SortedJSON+Entities.swift, for every
/// answer that carries it: a stored idempotent answer and a read of the same transaction
/// cannot drift apart.
public struct Transaction: Sendable, Equatable {
    public let id: String
    public let organizationID: String
    public let ledgerID: String
    public let parentTransactionID: String?
    public var description: String?
    public let code: String?
    public let chartOfAccountsGroupName: String?
    public var status: TransactionStatus
    public var statusDescription: String?
    public let amount: Amount
    public let assetCode: String
    public let legs: [TransactionLeg]
    /// Whether it was posted as pending (it may since have been committed or cancelled).
    public let pending: Bool
    public let pendingExpiresAt: Timestamp?
    public var revertedBy: String?
    public var metadata: Metadata
    public let createdAt: Timestamp
    public var updatedAt: Timestamp
    public var operations: [LedgerOperation]

    public init(
        id: String, organizationID: String, ledgerID: String, parentTransactionID: String?, description: String?, code: String?,
        chartOfAccountsGroupName: String?, status: TransactionStatus, statusDescription: String?, amount: Amount, assetCode: String,
        legs: [TransactionLeg], pending: Bool, pendingExpiresAt: Timestamp?, revertedBy: String?, metadata: Metadata, createdAt: Timestamp,
        updatedAt: Timestamp, operations: [LedgerOperation] = []
    ) {
        self.id = id
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.parentTransactionID = parentTransactionID
        self.description = description
        self.code = code
        self.chartOfAccountsGroupName = chartOfAccountsGroupName
        self.status = status
        self.statusDescription = statusDescription
        self.amount = amount
        self.assetCode = assetCode
        self.legs = legs
        self.pending = pending
        self.pendingExpiresAt = pendingExpiresAt
        self.revertedBy = revertedBy
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.operations = operations
    }

    public func legs(_ side: TransactionLeg.Side) -> [TransactionLeg] { legs.filter { $0.side == side } }

    /// One side's legs as the posting planner moves them, at the transaction's scale.
    func postingLegs(_ side: TransactionLeg.Side) throws -> [PostingLeg] {
        try legs(side).map { PostingLeg(balanceID: $0.balanceID, amount: try $0.amount(scale: amount.scale)) }
    }
}
