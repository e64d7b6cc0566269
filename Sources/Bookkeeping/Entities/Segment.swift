import StrongroomKernel

/// A segment of a ledger: a grouping of accounts (a product line, a region).
public struct Segment: Sendable, Equatable, Encodable {
    public let id: String
    public let organizationID: String
    public let ledgerID: String
    public var name: String
    public var status: EntityStatus
    public var metadata: Metadata
    public let createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: String, organizationID: String, ledgerID: String, name: String, status: EntityStatus, metadata: Metadata,
        createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.name = name
        self.status = status
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, status, metadata, createdAt, updatedAt
        case organizationID = "organizationId"
        case ledgerID = "ledgerId"
    }
}
