import Controls
import LedgerCore
import StrongroomKernel

/// An account's balance in its asset: the money, its version, and the settings that decide
/// what may move it. One per account (key `default`).
public struct Balance: Sendable, Equatable, Encodable {
    public static let defaultKey = "default"

    public let id: String
    public let organizationID: String
    public let ledgerID: String
    public let accountID: String
    public let alias: String
    public let assetCode: String
    public let accountType: String
    public var state: BalanceState
    /// The controls that hold the balance's account (its `blocked` flag, its freeze, its
    /// portfolio's lock, its ledger's freeze), read with the balance for the posting engine to
    /// ask the table of effects. Not part of the balance's JSON: each lives on its own entity.
    public var controls: ControlState
    public let createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: String, organizationID: String, ledgerID: String, accountID: String, alias: String, assetCode: String,
        accountType: String, state: BalanceState, controls: ControlState = .free, createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.accountID = accountID
        self.alias = alias
        self.assetCode = assetCode
        self.accountType = accountType
        self.state = state
        self.controls = controls
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, alias, key, assetCode, accountType, available, onHold, version, allowSending, allowReceiving
        case allowOverdraft, overdraftLimit, createdAt, updatedAt
        case organizationID = "organizationId"
        case ledgerID = "ledgerId"
        case accountID = "accountId"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(organizationID, forKey: .organizationID)
        try container.encode(ledgerID, forKey: .ledgerID)
        try container.encode(accountID, forKey: .accountID)
        try container.encode(alias, forKey: .alias)
        try container.encode(Self.defaultKey, forKey: .key)
        try container.encode(assetCode, forKey: .assetCode)
        try container.encode(accountType, forKey: .accountType)
        try container.encode(state.available, forKey: .available)
        try container.encode(state.onHold, forKey: .onHold)
        try container.encode(state.version, forKey: .version)
        try container.encode(state.allowSending, forKey: .allowSending)
        try container.encode(state.allowReceiving, forKey: .allowReceiving)
        try container.encode(state.allowOverdraft, forKey: .allowOverdraft)
        try container.encode(state.overdraftLimit, forKey: .overdraftLimit)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `PATCH …/balances/{id}`: the settings, never the money.
public struct BalanceChanges: Sendable, Decodable {
    public let allowSending: Bool?
    public let allowReceiving: Bool?
    public let allowOverdraft: Bool?
    public let overdraftLimit: String?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case allowSending, allowReceiving, allowOverdraft, overdraftLimit
    }

    /// Applies the changes to `state`; the limit is parsed at the balance's scale.
    public func applied(to state: BalanceState) throws(StrongroomError) -> BalanceState {
        var next = state
        if let allowSending { next.allowSending = allowSending }
        if let allowReceiving { next.allowReceiving = allowReceiving }
        if let allowOverdraft { next.allowOverdraft = allowOverdraft }
        if let overdraftLimit {
            let limit: Amount
            do {
                limit = try Amount(parsing: overdraftLimit, scale: state.available.scale)
            } catch {
                throw .amount(error, scale: state.available.scale, field: "overdraftLimit", what: "The overdraft limit")
            }
            guard !limit.isNegative else {
                throw .ledger(.invalidAmount, "The overdraft limit must not be negative.", field: "overdraftLimit")
            }
            next.overdraftLimit = limit
        }
        return next
    }
}
