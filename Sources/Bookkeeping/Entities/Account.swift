import Controls
import StrongroomKernel

/// An account of a ledger in one asset. Its money is in its balance; the account carries
/// who it belongs to and whether it may move (`blocked`).
public struct Account: Sendable, Equatable, Encodable {
    /// The `type` of the `@external/<CODE>` accounts the ledger makes with each asset.
    public static let externalType = "external"

    public let id: String
    public let organizationID: String
    public let ledgerID: String
    public let assetCode: String
    public var name: String?
    public let alias: String
    public let type: String
    public let parentAccountID: String?
    public var entityID: String?
    public var portfolioID: String?
    public var segmentID: String?
    public var blocked: Bool
    public var status: EntityStatus
    public var metadata: Metadata
    public let createdAt: Timestamp
    public var updatedAt: Timestamp
    /// The account's freeze while one holds (who, when, why); nil when it is not frozen. Set
    /// and lifted only by the freeze routes, never by a create or a PATCH.
    public var freeze: ControlRecord?

    public init(
        id: String, organizationID: String, ledgerID: String, assetCode: String, name: String?, alias: String, type: String,
        parentAccountID: String?, entityID: String?, portfolioID: String?, segmentID: String?, blocked: Bool,
        status: EntityStatus, metadata: Metadata, createdAt: Timestamp, updatedAt: Timestamp, freeze: ControlRecord? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.assetCode = assetCode
        self.name = name
        self.alias = alias
        self.type = type
        self.parentAccountID = parentAccountID
        self.entityID = entityID
        self.portfolioID = portfolioID
        self.segmentID = segmentID
        self.blocked = blocked
        self.status = status
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.freeze = freeze
    }

    public var isExternal: Bool { alias.hasPrefix(Self.externalPrefix) }

    static let externalPrefix = "@external/"

    /// `@` optional, then 1 to 100 letters, digits, `:`, `_`, `.`, `-`. Nothing that needs
    /// escaping in a path, and never the reserved `@external` prefix.
    public static func checkAlias(_ alias: String, field: String = "alias") throws(StrongroomError) {
        guard !alias.lowercased().hasPrefix("@external") else {
            throw StrongroomError(
                .reservedAlias, "Aliases starting with '@external' are reserved for the ledger's external accounts.",
                fields: [.init(field: field, message: "is reserved")]
            )
        }
        let body = alias.hasPrefix("@") ? alias.dropFirst() : Substring(alias)
        guard !body.isEmpty, alias.utf8.count <= 100,
            body.utf8.allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || [UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-")].contains(byte)
            })
        else {
            throw .invalidValue(field, "must be up to 100 letters, digits, ':', '_', '.' or '-', optionally after '@'")
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, assetCode, name, alias, type, blocked, status, metadata, createdAt, updatedAt, freeze
        case organizationID = "organizationId"
        case ledgerID = "ledgerId"
        case parentAccountID = "parentAccountId"
        case entityID = "entityId"
        case portfolioID = "portfolioId"
        case segmentID = "segmentId"
    }
}

/// `POST …/accounts`.
public struct NewAccount: Sendable, Codable {
    public let assetCode: String
    public let type: String
    public let name: String?
    public let alias: String?
    public let parentAccountID: String?
    public let entityID: String?
    public let portfolioID: String?
    public let segmentID: String?
    public let blocked: Bool?
    public let status: EntityStatus?
    public let metadata: Metadata?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case assetCode, type, name, alias, blocked, status, metadata
        case parentAccountID = "parentAccountId"
        case entityID = "entityId"
        case portfolioID = "portfolioId"
        case segmentID = "segmentId"
    }

    public func validate() throws(StrongroomError) {
        try FieldRules.text(assetCode, field: "assetCode", max: 10)
        try FieldRules.text(type, field: "type", max: 256)
        guard type != Account.externalType else { throw .invalidValue("type", "'external' is reserved for the ledger's external accounts") }
        try FieldRules.optionalText(name, field: "name", max: 256)
        if let alias { try Account.checkAlias(alias) }
        try FieldRules.optionalText(entityID, field: "entityId", max: 256)
        try status?.validate()
        try metadata?.validate()
    }
}

/// `PATCH …/accounts/{id}`: present fields replace.
public struct AccountChanges: Sendable, Decodable {
    public let name: String?
    public let entityID: String?
    public let portfolioID: String?
    public let segmentID: String?
    public let blocked: Bool?
    public let status: EntityStatus?
    public let metadata: Metadata?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, blocked, status, metadata
        case entityID = "entityId"
        case portfolioID = "portfolioId"
        case segmentID = "segmentId"
    }

    public func validate() throws(StrongroomError) {
        try FieldRules.optionalText(name, field: "name", max: 256)
        try FieldRules.optionalText(entityID, field: "entityId", max: 256)
        try status?.validate()
        try metadata?.validate()
    }
}
