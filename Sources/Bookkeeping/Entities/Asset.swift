import LedgerCore
import StrongroomKernel

/// An asset of a ledger (a currency, a token, a commodity) with the scale its amounts use.
public struct Asset: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case currency, crypto, commodity, others

        /// API.md: 2 for currencies, 8 for crypto, 0 otherwise.
        public var defaultScale: Int {
            switch self {
            case .currency: 2
            case .crypto: 8
            case .commodity, .others: 0
            }
        }
    }

    public let id: String
    public let organizationID: String
    public let ledgerID: String
    public var name: String
    public let type: Kind
    public let code: String
    public let scale: Int
    public var status: EntityStatus
    public var metadata: Metadata
    public let createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: String, organizationID: String, ledgerID: String, name: String, type: Kind, code: String, scale: Int,
        status: EntityStatus, metadata: Metadata, createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.name = name
        self.type = type
        self.code = code
        self.scale = scale
        self.status = status
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The alias of the account that stands for the world outside the ledger in this asset.
    public static func externalAlias(code: String) -> String { "@external/\(code)" }

    enum CodingKeys: String, CodingKey {
        case id, name, type, code, scale, status, metadata, createdAt, updatedAt
        case organizationID = "organizationId"
        case ledgerID = "ledgerId"
    }
}

/// `POST …/assets`.
public struct NewAsset: Sendable, Codable {
    public let name: String
    public let type: String
    public let code: String
    public let scale: Int?
    public let status: EntityStatus?
    public let metadata: Metadata?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, type, code, scale, status, metadata
    }

    /// The asset kind and scale this body asks for, once it passes the rules.
    public func validated() throws(StrongroomError) -> (kind: Asset.Kind, scale: Int) {
        try FieldRules.text(name, field: "name", max: 256)
        guard let kind = Asset.Kind(rawValue: type) else {
            throw .invalidValue("type", "must be one of \(Asset.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard AssetCode.isValid(code) else {
            throw .invalidValue("code", "must be 2 to 10 upper-case letters or digits, starting with a letter")
        }
        let scale = self.scale ?? kind.defaultScale
        guard (0...Amount.maxScale).contains(scale) else { throw .invalidValue("scale", "must be from 0 to \(Amount.maxScale)") }
        try status?.validate()
        try metadata?.validate()
        return (kind, scale)
    }
}
