import Controls
import StrongroomKernel

/// A portfolio of a ledger: accounts held for one entity (a customer, a fund).
public struct Portfolio: Sendable, Equatable, Encodable {
    public let id: String
    public let organizationID: String
    public let ledgerID: String
    public var name: String
    public var entityID: String?
    public var status: EntityStatus
    public var metadata: Metadata
    public let createdAt: Timestamp
    public var updatedAt: Timestamp
    /// The portfolio's lock while one holds (who, when, why): none of its accounts moves.
    /// Set and lifted only by the lock routes.
    public var lock: ControlRecord?

    public init(
        id: String, organizationID: String, ledgerID: String, name: String, entityID: String?, status: EntityStatus,
        metadata: Metadata, createdAt: Timestamp, updatedAt: Timestamp, lock: ControlRecord? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.name = name
        self.entityID = entityID
        self.status = status
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lock = lock
    }

    enum CodingKeys: String, CodingKey {
        case id, name, status, metadata, createdAt, updatedAt, lock
        case organizationID = "organizationId"
        case ledgerID = "ledgerId"
        case entityID = "entityId"
    }
}

/// `POST …/portfolios`, and `PATCH` (where every field is optional).
public struct PortfolioInput: Sendable, Codable {
    public let name: String?
    public let entityID: String?
    public let status: EntityStatus?
    public let metadata: Metadata?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, status, metadata
        case entityID = "entityId"
    }

    public func validate(creating: Bool) throws(StrongroomError) {
        if creating, name == nil { throw .missingField("name") }
        try FieldRules.optionalText(name, field: "name", max: 256)
        try FieldRules.optionalText(entityID, field: "entityId", max: 256)
        try status?.validate()
        try metadata?.validate()
    }
}
