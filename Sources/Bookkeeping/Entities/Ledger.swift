import Controls
import StrongroomKernel

/// A ledger of an organization: the books its assets, accounts and transactions live in.
public struct Ledger: Sendable, Equatable, Encodable {
    public let id: String
    public let organizationID: String
    public var name: String
    public var status: EntityStatus
    public var metadata: Metadata
    public let createdAt: Timestamp
    public var updatedAt: Timestamp
    /// The ledger's freeze while one holds (who, when, why): none of its accounts moves. Set
    /// and lifted only by the freeze routes.
    public var freeze: ControlRecord?
    /// The ledger's settings (`bankDetails`), nil when it has none. Fixed at creation.
    public let settings: LedgerSettings?

    public init(
        id: String, organizationID: String, name: String, status: EntityStatus, metadata: Metadata, createdAt: Timestamp,
        updatedAt: Timestamp, freeze: ControlRecord? = nil, settings: LedgerSettings? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.name = name
        self.status = status
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.freeze = freeze
        self.settings = settings?.orNilWhenEmpty
    }

    enum CodingKeys: String, CodingKey {
        case id, name, status, metadata, createdAt, updatedAt, freeze, settings
        case organizationID = "organizationId"
    }
}

/// The body that creates a ledger: a name, a status, metadata and settings.
public struct NewLedger: Sendable, Codable {
    public let name: String
    public let status: EntityStatus?
    public let metadata: Metadata?
    public let settings: LedgerSettings?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, status, metadata, settings
    }

    public func validate() throws(StrongroomError) {
        try FieldRules.text(name, field: "name", max: 256)
        try status?.validate()
        try metadata?.validate()
        try settings?.validate()
    }
}

/// The body that changes a ledger: present fields replace. Its settings are fixed: a
/// setting given must be the one the ledger has.
public struct LedgerChanges: Sendable, Decodable {
    public let name: String?
    public let status: EntityStatus?
    public let metadata: Metadata?
    public let settings: LedgerSettings?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, status, metadata, settings
    }

    public func validate() throws(StrongroomError) {
        try FieldRules.optionalText(name, field: "name", max: 256)
        try status?.validate()
        try metadata?.validate()
    }
}

/// The body that creates a segment: a name, a status and metadata.
public struct NewNamedEntity: Sendable, Codable {
    public let name: String
    public let status: EntityStatus?
    public let metadata: Metadata?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, status, metadata
    }

    public func validate() throws(StrongroomError) {
        try FieldRules.text(name, field: "name", max: 256)
        try status?.validate()
        try metadata?.validate()
    }
}

/// The body that changes a segment or an asset: present fields replace.
public struct NamedEntityChanges: Sendable, Decodable {
    public let name: String?
    public let status: EntityStatus?
    public let metadata: Metadata?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, status, metadata
    }

    public func validate() throws(StrongroomError) {
        try FieldRules.optionalText(name, field: "name", max: 256)
        try status?.validate()
        try metadata?.validate()
    }
}
