import Events
import Foundation
import StrongroomKernel
import Testing

/// The envelope: its bounds, and one deterministic rendering that `JSONEncoder` would agree with.
@Suite("Event envelope")
struct EventEnvelopeTests {
    static let id = "019af3c2-7d10-7a3b-8c4d-0123456789ab"
    static let time = Timestamp(microsecondsSinceEpoch: 1_765_107_795_123_456)

    static func envelope(body: [UInt8] = Array(#"{"amount":"10.00"}"#.utf8), orderingKey: String? = "acc-1") throws -> EventEnvelope {
        try EventEnvelope(
            id: id, type: .balanceChanged, time: time, organizationID: "org-1", ledgerID: "led-1", orderingKey: orderingKey, body: body
        )
    }

    /// A body of exactly `count` bytes: `{"p":"xxx…"}`.
    static func body(bytes count: Int) -> [UInt8] {
        Array(#"{"p":""#.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: count - 8) + Array(#""}"#.utf8)
    }

    @Test("a body of 64 KiB is accepted and one byte more is refused")
    func bodyBound() throws {
        #expect(Self.body(bytes: 65_536).count == 65_536)
        let largest = try Self.envelope(body: Self.body(bytes: EventEnvelope.maxBodyBytes))
        #expect(largest.body.count == 65_536)
        #expect(throws: EventEnvelopeError.bodyTooLarge(bytes: 65_537)) {
            try Self.envelope(body: Self.body(bytes: EventEnvelope.maxBodyBytes + 1))
        }
        #expect(throws: EventEnvelopeError.bodyTooLarge(bytes: 1_000_000)) { try Self.envelope(body: Self.body(bytes: 1_000_000)) }
    }

    @Test("a body that is not one JSON object, a non-canonical id and unbounded references are refused")
    func otherBounds() throws {
        for body in ["", "[]", "\"x\"", " {}", "{} "] {
            #expect(throws: EventEnvelopeError.bodyNotAnObject, "\(body)") { try Self.envelope(body: Array(body.utf8)) }
        }
        for id in ["019AF3C2-7D10-7A3B-8C4D-0123456789AB", "019af3c27d107a3b8c4d0123456789ab", "", "019af3c2-7d10-7a3b-8c4d-0123456789a"] {
            #expect(throws: EventEnvelopeError.idNotCanonical, "\(id)") {
                try EventEnvelope(id: id, type: .accountCreated, time: Self.time, organizationID: nil, ledgerID: nil, orderingKey: nil, body: Array("{}".utf8))
            }
        }
        #expect(throws: EventEnvelopeError.referenceOutOfBounds) { try Self.envelope(orderingKey: "") }
        #expect(throws: EventEnvelopeError.referenceOutOfBounds) {
            try Self.envelope(orderingKey: String(repeating: "a", count: EventEnvelope.maxReferenceBytes + 1))
        }
        _ = try Self.envelope(orderingKey: String(repeating: "a", count: EventEnvelope.maxReferenceBytes))
        #expect(throws: EventEnvelopeError.unknownSchemaVersion(2)) {
            try EventEnvelope(id: Self.id, type: .keyRotated, schemaVersion: 2, time: Self.time, organizationID: nil, ledgerID: nil, orderingKey: nil, body: Array("{}".utf8))
        }
        #expect(throws: EventEnvelopeError.unknownSchemaVersion(0)) {
            try EventEnvelope(id: Self.id, type: .keyRotated, schemaVersion: 0, time: Self.time, organizationID: nil, ledgerID: nil, orderingKey: nil, body: Array("{}".utf8))
        }
    }

    /// The same shape, rendered by `JSONEncoder` with the options the kernel's writer follows.
    struct Mirror: Encodable {
        struct Body: Encodable { var amount: String }
        var body: Body
        var id: String
        var ledgerId: String?
        var orderingKey: String?
        var organizationId: String?
        var time: Timestamp
        var type: String
        var version: Int
    }

    @Test("the rendering is JSONEncoder's sorted-keys rendering, byte for byte, with and without the optional references")
    func renderingMatchesJSONEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let full = try Self.envelope()
        let fullMirror = Mirror(
            body: .init(amount: "10.00"), id: Self.id, ledgerId: "led-1", orderingKey: "acc-1", organizationId: "org-1",
            time: Self.time, type: "balance.changed", version: 1
        )
        #expect(String(decoding: full.json, as: UTF8.self) == String(decoding: try encoder.encode(fullMirror), as: UTF8.self))

        let bare = try EventEnvelope(
            id: Self.id, type: .keyRotated, time: Self.time, organizationID: nil, ledgerID: nil, orderingKey: nil,
            body: Array(#"{"amount":"a/\"b\""}"#.utf8)
        )
        let bareMirror = Mirror(
            body: .init(amount: "a/\"b\""), id: Self.id, time: Self.time, type: "security.key_rotated", version: 1
        )
        #expect(String(decoding: bare.json, as: UTF8.self) == String(decoding: try encoder.encode(bareMirror), as: UTF8.self))
        #expect(String(decoding: bare.json, as: UTF8.self).hasPrefix(#"{"body":{"amount":"#))
        // The same event is the same bytes every time.
        #expect(full.json == (try Self.envelope()).json)
    }

    @Test("every type is subject.event in lower case, unique, at schema version 1")
    func vocabulary() {
        let raw = EventType.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for type in EventType.allCases {
            #expect(type.rawValue.wholeMatch(of: /[a-z]+\.[a-z_]+/) != nil, "\(type.rawValue)")
            #expect(type.schemaVersion == 1)
        }
        for entity in ["organization", "ledger", "asset", "portfolio", "segment", "account", "balance"] {
            for change in ["created", "updated", "deleted"] {
                #expect(EventType(rawValue: "\(entity).\(change)") != nil, "\(entity).\(change)")
            }
        }
        #expect(EventType(rawValue: "security.refresh_reuse") == .refreshReuse)
    }
}
