import Events
import Foundation
import StrongroomKernel
import Testing

/// The export's ECS line: its fields, its bytes, and one line per event whatever the body holds.
@Suite("ECS event line")
struct ECSEventLineTests {
    static let id = "019af3c2-7d10-7a3b-8c4d-0123456789ab"
    static let time = Timestamp(microsecondsSinceEpoch: 1_765_107_795_123_456)

    static func envelope(
        _ type: EventType = .balanceChanged, organizationID: String? = "org-1", ledgerID: String? = "led-1", orderingKey: String? = "acc-1",
        body: String = #"{"amount":"10.00"}"#
    ) throws -> EventEnvelope {
        try EventEnvelope(
            id: id, type: type, time: time, organizationID: organizationID, ledgerID: ledgerID, orderingKey: orderingKey, body: Array(body.utf8)
        )
    }

    /// The same shape, as `JSONEncoder` renders it with sorted keys.
    struct Mirror: Encodable {
        struct Event: Encodable {
            var action: String
            var category: [String]
            var dataset = "strongroom.events"
            var id: String
            var kind = "event"
            var type: [String]
        }
        struct Labels: Encodable {
            var ledger_id: String?
            var ordering_key: String?
        }
        struct Organization: Encodable { var id: String }
        struct Strongroom: Encodable {
            struct Body: Encodable { var amount: String }
            var event: Body
            var schema_version: Int
        }
        var timestamp: Timestamp
        var event: Event
        var labels: Labels?
        var organization: Organization?
        var strongroom: Strongroom

        enum CodingKeys: String, CodingKey {
            case timestamp = "@timestamp", event, labels, organization, strongroom
        }
    }

    static func encoded(_ mirror: Mirror) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(mirror), as: UTF8.self)
    }

    @Test("the line is JSONEncoder's sorted-keys rendering of the ECS fields, with and without the optional references")
    func fields() throws {
        let full = ECSEventLine(try Self.envelope())
        let fullMirror = Mirror(
            timestamp: Self.time,
            event: .init(action: "balance.changed", category: ["database"], id: Self.id, type: ["change"]),
            labels: .init(ledger_id: "led-1", ordering_key: "acc-1"),
            organization: .init(id: "org-1"),
            strongroom: .init(event: .init(amount: "10.00"), schema_version: 1)
        )
        #expect(String(decoding: full.json, as: UTF8.self) == (try Self.encoded(fullMirror)))
        #expect(String(decoding: full.json, as: UTF8.self).hasPrefix(#"{"@timestamp":"2025-12-07T11:43:15.123456Z","event":{"action":"balance.changed","#))

        let bare = ECSEventLine(try Self.envelope(.refreshReuse, organizationID: nil, ledgerID: nil, orderingKey: nil))
        let bareMirror = Mirror(
            timestamp: Self.time,
            event: .init(action: "security.refresh_reuse", category: ["session"], id: Self.id, type: ["end"]),
            strongroom: .init(event: .init(amount: "10.00"), schema_version: 1)
        )
        #expect(String(decoding: bare.json, as: UTF8.self) == (try Self.encoded(bareMirror)))

        let ledgerOnly = ECSEventLine(try Self.envelope(.ledgerFrozen, organizationID: "org-1", ledgerID: "led-1", orderingKey: nil))
        #expect(String(decoding: ledgerOnly.json, as: UTF8.self).contains(#""labels":{"ledger_id":"led-1"},"organization":{"id":"org-1"}"#))
        // The same event is the same bytes every time.
        #expect(full.json == ECSEventLine(try Self.envelope()).json)
    }

    @Test("a body with line breaks between its tokens still makes one line, the same JSON value")
    func oneLine() throws {
        let body = "{\r\n  \"memo\": \"a\\nb\",\n  \"n\": 1\n}"
        let line = ECSEventLine(try Self.envelope(body: body)).json
        #expect(!line.contains(0x0A) && !line.contains(0x0D))
        let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
        let event = (object?["strongroom"] as? [String: Any])?["event"] as? [String: Any]
        #expect(event?["memo"] as? String == "a\nb")
        #expect(event?["n"] as? Int == 1)
    }

    /// ECS 8's allowed `event.type` values for each `event.category` used.
    static let allowedTypes: [String: Set<String>] = [
        "database": ["access", "change", "creation", "deletion", "info", "installation", "start", "end"],
        "configuration": ["access", "change", "creation", "deletion", "info"],
        "authentication": ["start", "end", "info"],
        "session": ["start", "end", "info"],
    ]

    @Test("every type maps to an ECS category and a type that category allows, and its line parses")
    func everyType() throws {
        for type in EventType.allCases {
            let (category, ecsType) = ECSEventLine.category(of: type)
            #expect(Self.allowedTypes[category]?.contains(ecsType) == true, "\(type.rawValue): \(category)/\(ecsType)")
            let line = ECSEventLine(try Self.envelope(type)).json
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            let event = object?["event"] as? [String: Any]
            #expect(event?["action"] as? String == type.rawValue)
            #expect(event?["kind"] as? String == "event")
            #expect(event?["dataset"] as? String == ECSEventLine.dataset)
            #expect(event?["category"] as? [String] == [category])
        }
        #expect(ECSEventLine.category(of: .loginThrottled) == ("authentication", "info"))
        #expect(ECSEventLine.category(of: .accountDeleted) == ("database", "deletion"))
        #expect(ECSEventLine.category(of: .transactionPosted) == ("database", "creation"))
    }
}
