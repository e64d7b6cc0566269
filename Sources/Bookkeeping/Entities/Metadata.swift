import Foundation
import StrongroomKernel

/// One metadata value: a string, an exact number or a boolean. Numbers keep their decimal
/// digits (`Decimal`), never a binary `Double`.
public enum MetadataValue: Sendable, Equatable, Codable {
    case string(String)
    case number(Decimal)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a metadata value must be a string, a number or a boolean"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }

    /// The value as text, as metadata filters compare it (`metadata.tier=gold`, `=42`, `=true`).
    public var text: String {
        switch self {
        case .string(let value): value
        case .number(let value): "\(value)"
        case .bool(let value): value ? "true" : "false"
        }
    }
}

/// Key-value annotations on an entity, bounded so no client can grow a row without limit.
public struct Metadata: Sendable, Equatable, Codable {
    public static let maxEntries = 50
    public static let maxKeyLength = 100
    public static let maxValueLength = 2000

    public var entries: [String: MetadataValue]

    public init(_ entries: [String: MetadataValue] = [:]) { self.entries = entries }

    public init(from decoder: any Decoder) throws {
        entries = try decoder.singleValueContainer().decode([String: MetadataValue].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(entries)
    }

    /// Refuses metadata beyond its bounds (422, `SR-2024`), naming `field`.
    public func validate(field: String = "metadata") throws(StrongroomError) {
        func refuse(_ message: String) -> StrongroomError {
            StrongroomError(.invalidMetadata, "Metadata \(message).", fields: [.init(field: field, message: message)])
        }
        guard entries.count <= Self.maxEntries else { throw refuse("may have at most \(Self.maxEntries) entries") }
        for (key, value) in entries {
            guard !key.isEmpty, key.count <= Self.maxKeyLength else {
                throw refuse("keys must be 1 to \(Self.maxKeyLength) characters")
            }
            guard value.text.count <= Self.maxValueLength else {
                throw refuse("values must be at most \(Self.maxValueLength) characters")
            }
        }
    }

    /// Canonical JSON text (sorted keys), as stored.
    public var json: String {
        guard !entries.isEmpty else { return "{}" }
        return String(decoding: (try? Self.encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public init(json: String) throws {
        self = try JSONDecoder().decode(Metadata.self, from: Data(json.utf8))
    }
}
