import StrongroomKernel

/// One event as it is stored in the outbox, delivered to webhooks and read from the pull
/// API: the same bytes everywhere (`EventEnvelope+SortedJSON.swift` renders it).
///
/// The body arrives already rendered by the area the event is about, so this module never
/// imports that area; the envelope only bounds it and places it. What goes into a body is
/// the writer's responsibility and its rule: never a holder's personal data, never a secret.
public struct EventEnvelope: Hashable, Sendable, CustomStringConvertible {
    /// The most a body may hold, in bytes (64 KiB): a receiver can size its buffer, and one
    /// event never makes the outbox row or a delivery large.
    public static let maxBodyBytes = 65_536
    /// The most an organization id, ledger id or ordering key may hold, in UTF-8 bytes.
    /// Ids are 36-character UUIDs; the bound only keeps a wrong value from growing rows.
    public static let maxReferenceBytes = 128

    /// Stable across redeliveries: a receiver de-duplicates by it (delivery is at least
    /// once). A UUIDv7 from the kernel's `IdentifierGenerator`, in canonical lower-case text.
    public let id: String
    public let type: EventType
    /// When the change happened: the time of the unit of work that wrote it.
    public let time: Timestamp
    /// The schema version of `body`, per type (`EventType.schemaVersion` when written).
    public let schemaVersion: Int
    /// The organization and ledger the event belongs to, where it belongs to one: a
    /// subscription's scope and the pull API's filter match on them.
    public let organizationID: String?
    public let ledgerID: String?
    /// The account whose events must reach each subscription in order, when the event
    /// concerns one account (a balance change, an account's freeze); nil when it concerns
    /// none or several, and such events are delivered independently (`DeliveryOrdering`).
    public let orderingKey: String?
    /// One JSON object, already rendered by the event's writer, at most `maxBodyBytes`.
    public let body: [UInt8]

    /// A new event, at its type's current schema version.
    public init(
        id: String, type: EventType, time: Timestamp, organizationID: String?, ledgerID: String?, orderingKey: String?,
        body: [UInt8]
    ) throws(EventEnvelopeError) {
        try self.init(
            id: id, type: type, schemaVersion: type.schemaVersion, time: time, organizationID: organizationID, ledgerID: ledgerID,
            orderingKey: orderingKey, body: body
        )
    }

    /// An event read back from the outbox, at the schema version it was written with.
    public init(
        id: String, type: EventType, schemaVersion: Int, time: Timestamp, organizationID: String?, ledgerID: String?,
        orderingKey: String?, body: [UInt8]
    ) throws(EventEnvelopeError) {
        guard body.count <= Self.maxBodyBytes else { throw .bodyTooLarge(bytes: body.count) }
        guard body.first == UInt8(ascii: "{"), body.last == UInt8(ascii: "}") else { throw .bodyNotAnObject }
        guard CanonicalID.isValid(id) else { throw .idNotCanonical }
        for reference in [organizationID, ledgerID, orderingKey] {
            guard let reference else { continue }
            guard !reference.isEmpty, reference.utf8.count <= Self.maxReferenceBytes else { throw .referenceOutOfBounds }
        }
        guard (1...type.schemaVersion).contains(schemaVersion) else { throw .unknownSchemaVersion(schemaVersion) }
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.time = time
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.orderingKey = orderingKey
        self.body = body
    }

    /// The type, id and body size, never the body: a log line or a failed test names the
    /// event without copying what it carries.
    public var description: String { "\(type.rawValue) \(id) (\(body.count) bytes)" }
}
