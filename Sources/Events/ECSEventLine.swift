import StrongroomKernel

/// One event as one line of `strongroom events export --format ecs`: JSON with Elastic Common
/// Schema field names, so a SIEM ingests the export without a mapping of its own.
///
/// Dotted ECS names are paths into nested objects (`event.id` is `{"event":{"id":…}}`), which
/// Elasticsearch, OpenSearch and the usual shippers read alike:
///
/// | Field | From the envelope |
/// |---|---|
/// | `@timestamp` | `time`, RFC 3339 with microseconds |
/// | `event.id` | `id` |
/// | `event.kind` | always `event` |
/// | `event.category`, `event.type` | per `type` (`ECSEventLine.category(of:)`), ECS's allowed values |
/// | `event.action` | `type` (`transaction.posted`) |
/// | `event.dataset` | always `strongroom.events` |
/// | `organization.id` | `organizationId`, left out when absent |
/// | `labels.ledger_id` | `ledgerId`, left out when absent |
/// | `labels.ordering_key` | `orderingKey`, left out when absent |
/// | `strongroom.event` | `body`, as rendered |
/// | `strongroom.schema_version` | `version` |
///
/// Deterministic: keys in ascending byte order through `SortedJSONWriter`, as the envelope's
/// own rendering, so two exports of the same events are the same bytes. No newline inside:
/// strings are escaped, and a raw line feed or carriage return in the body, which can only be
/// whitespace between JSON tokens (inside a string it would be invalid JSON), is written as a
/// space. The exporter ends each line with one `\n`.
public struct ECSEventLine: SortedJSONWritable, Sendable {
    /// `event.dataset` of every line.
    public static let dataset = "strongroom.events"

    public let envelope: EventEnvelope

    public init(_ envelope: EventEnvelope) {
        self.envelope = envelope
    }

    /// The line's JSON text, without the line feed that ends it.
    public var json: [UInt8] {
        SortedJSONWriter.write(self, capacity: envelope.body.count + 512)
    }

    public func write(to json: inout SortedJSONWriter) {
        let (category, type) = Self.category(of: envelope.type)
        json.beginObject()
        json.member("@timestamp", envelope.time)
        json.key("event")
        json.beginObject()
        json.member("action", envelope.type.rawValue)
        json.key("category")
        json.beginArray()
        json.element()
        json.string(category)
        json.endArray()
        json.member("dataset", Self.dataset)
        json.member("id", envelope.id)
        json.member("kind", "event")
        json.key("type")
        json.beginArray()
        json.element()
        json.string(type)
        json.endArray()
        json.endObject()
        if envelope.ledgerID != nil || envelope.orderingKey != nil {
            json.key("labels")
            json.beginObject()
            json.member("ledger_id", ifPresent: envelope.ledgerID)
            json.member("ordering_key", ifPresent: envelope.orderingKey)
            json.endObject()
        }
        if let organizationID = envelope.organizationID {
            json.key("organization")
            json.beginObject()
            json.member("id", organizationID)
            json.endObject()
        }
        json.key("strongroom")
        json.beginObject()
        json.key("event")
        json.json(envelope.body.lazy.map { $0 == 0x0A || $0 == 0x0D ? UInt8(ascii: " ") : $0 })
        json.member("schema_version", Int64(clamping: envelope.schemaVersion))
        json.endObject()
        json.endObject()
    }

    /// ECS's `event.category` and `event.type` for an event type, each one of the values ECS
    /// allows with the other: ledger records are `database` (created `creation`, moved or
    /// settled `change`, deleted `deletion`), incident controls and key rotation
    /// `configuration`/`change`, throttled logins `authentication`/`info`, and a refresh
    /// token's reuse, which revokes its family, `session`/`end`.
    public static func category(of type: EventType) -> (category: String, type: String) {
        switch type {
        case .transactionPosted, .transactionPending, .transactionReverted,
             .organizationCreated, .ledgerCreated, .assetCreated, .portfolioCreated, .segmentCreated, .accountCreated,
             .balanceCreated:
            ("database", "creation")
        case .transactionCommitted, .transactionCancelled, .balanceChanged,
             .organizationUpdated, .ledgerUpdated, .assetUpdated, .portfolioUpdated, .segmentUpdated, .accountUpdated,
             .balanceUpdated:
            ("database", "change")
        case .organizationDeleted, .ledgerDeleted, .assetDeleted, .portfolioDeleted, .segmentDeleted, .accountDeleted,
             .balanceDeleted:
            ("database", "deletion")
        case .accountFrozen, .accountUnfrozen, .portfolioLocked, .portfolioUnlocked, .ledgerFrozen, .ledgerUnfrozen,
             .keyRotated:
            ("configuration", "change")
        case .loginThrottled:
            ("authentication", "info")
        case .refreshReuse:
            ("session", "end")
        }
    }
}
