/// What changed, as a small JSON object of identifiers, field names, codes and counts.
/// Its text is canonical (keys in byte order, no white space, minimal escapes), so one
/// summary always has one spelling, and that spelling is what the chain hashes and stores.
public struct AuditSummary: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public enum Value: Sendable, Equatable {
        case text(String)
        case number(Int64)
        case list([String])
    }

    public private(set) var fields: [String: Value]

    public init(_ fields: [String: Value] = [:]) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, Value)...) {
        self.fields = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    public subscript(key: String) -> Value? {
        get { fields[key] }
        set { fields[key] = newValue }
    }

    public var isEmpty: Bool { fields.isEmpty }

    /// The canonical JSON text.
    public var canonicalText: String {
        var out = "{"
        let sorted = fields.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        for (index, (key, value)) in sorted.enumerated() {
            if index > 0 { out += "," }
            Self.appendString(key, to: &out)
            out += ":"
            switch value {
            case .text(let text): Self.appendString(text, to: &out)
            case .number(let number): out += String(number)
            case .list(let items):
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += "," }
                    Self.appendString(item, to: &out)
                }
                out += "]"
            }
        }
        return out + "}"
    }

    private static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// A summary value as JSON: a string, an integer or a list of strings (how the audit
/// routes and the export render a stored summary).
extension AuditSummary.Value: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else if let list = try? container.decode([String].self) {
            self = .list(list)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .list(let list): try container.encode(list)
        }
    }
}
