import StrongroomKernel

/// The body of `POST …/transactions/json` (and, through `inflow` / `outflow`, of the two
/// one-sided forms), as Midaz defines it with API.md's amendments: amounts are decimal
/// strings in major units, and a pending transaction may carry `pendingExpiresAt`.
public struct TransactionBody: Sendable, Codable, Equatable {
    public var description: String?
    public var code: String?
    public var chartOfAccountsGroupName: String?
    public var metadata: Metadata?
    public var pending: Bool?
    public var pendingExpiresAt: String?
    public var send: Send

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case description, code, chartOfAccountsGroupName, metadata, pending, pendingExpiresAt, send
    }

    public struct Send: Sendable, Codable, Equatable {
        public var asset: String
        public var value: String
        public var source: Source?
        public var distribute: Distribute?

        public init(asset: String, value: String, source: Source? = nil, distribute: Distribute? = nil) {
            self.asset = asset
            self.value = value
            self.source = source
            self.distribute = distribute
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case asset, value, source, distribute
        }
    }

    public struct Source: Sendable, Codable, Equatable {
        public var from: [Leg]

        public init(from: [Leg]) { self.from = from }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case from
        }
    }

    public struct Distribute: Sendable, Codable, Equatable {
        public var to: [Leg]

        public init(to: [Leg]) { self.to = to }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case to
        }
    }

    public struct Leg: Sendable, Codable, Equatable {
        public var accountAlias: String
        public var balanceKey: String?
        public var amount: LegAmount?
        public var share: Share?
        public var remaining: String?
        public var description: String?
        public var chartOfAccounts: String?
        public var metadata: Metadata?

        public init(accountAlias: String, amount: LegAmount? = nil, share: Share? = nil, remaining: String? = nil) {
            self.accountAlias = accountAlias
            self.amount = amount
            self.share = share
            self.remaining = remaining
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case accountAlias, balanceKey, amount, share, remaining, description, chartOfAccounts, metadata
        }
    }

    public struct LegAmount: Sendable, Codable, Equatable {
        public var asset: String
        public var value: String

        public init(asset: String, value: String) {
            self.asset = asset
            self.value = value
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case asset, value
        }
    }

    public struct Share: Sendable, Codable, Equatable {
        public var percentage: Int
        public var percentageOfPercentage: Int?

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case percentage, percentageOfPercentage
        }
    }

    public init(send: Send) { self.send = send }
}
