import Events
import Foundation
import StrongroomKernel
import Testing

/// docs/events: a JSON Schema for every event type, and every schema's promises kept by the
/// envelope's rendering (a small structural check, not a full JSON Schema validator).
@Suite("Event schemas")
struct EventSchemaTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "docs/events")

    static func schema(of type: EventType) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appending(path: "\(type.rawValue).schema.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(type.rawValue)")
    }

    /// Envelopes of `type` as the code renders them: with every reference, and with none.
    static func samples(of type: EventType) throws -> [[String: Any]] {
        let time = Timestamp(microsecondsSinceEpoch: 1_765_107_795_123_456)
        let envelopes = [
            try EventEnvelope(
                id: "019af3c2-7d10-7a3b-8c4d-0123456789ab", type: type, time: time, organizationID: "org-1", ledgerID: "led-1",
                orderingKey: "acc-1", body: Array(#"{"amount":"10.00","memo":null}"#.utf8)
            ),
            try EventEnvelope(
                id: "019af3c2-7d10-7a3b-8c4d-0123456789ac", type: type, time: Timestamp(microsecondsSinceEpoch: 0), organizationID: nil,
                ledgerID: nil, orderingKey: nil, body: Array("{}".utf8)
            ),
        ]
        return try envelopes.map { try #require(try JSONSerialization.jsonObject(with: Data($0.json)) as? [String: Any]) }
    }

    /// Why `value` breaks `property`'s schema, or nil: its JSON type, `const`, `pattern` and
    /// string lengths, the keywords the schemas here use.
    static func problem(_ value: Any, against property: [String: Any]) -> String? {
        switch property["type"] as? String {
        case "string":
            guard let string = value as? String else { return "not a string" }
            if let minimum = property["minLength"] as? Int, string.count < minimum { return "shorter than \(minimum)" }
            if let maximum = property["maxLength"] as? Int, string.count > maximum { return "longer than \(maximum)" }
            if let pattern = property["pattern"] as? String {
                guard let regex = try? Regex(pattern) else { return "pattern \(pattern) does not compile" }
                if string.firstMatch(of: regex) == nil { return "\(string) does not match \(pattern)" }
            }
            if let constant = property["const"] as? String, string != constant { return "\(string) is not \(constant)" }
        case "integer":
            // JSONSerialization reads `true` as an NSNumber too; its type code ("c") tells it apart.
            guard type(of: value) != Bool.self, let number = value as? NSNumber,
                String(cString: number.objCType) != "c", let integer = value as? Int
            else {
                return "not an integer"
            }
            if let constant = property["const"] as? Int, integer != constant { return "\(integer) is not \(constant)" }
        case "object":
            guard value is [String: Any] else { return "not an object" }
        default:
            return "the schema gives no type this check knows"
        }
        return nil
    }

    @Test("every event type has a schema file that parses, is draft 2020-12 and names its type")
    func everyTypeHasASchema() throws {
        for type in EventType.allCases {
            let schema = try Self.schema(of: type)
            #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema", "\(type.rawValue)")
            #expect(schema["title"] as? String == type.rawValue)
            #expect(schema["type"] as? String == "object")
            let properties = schema["properties"] as? [String: Any]
            let typeProperty = properties?["type"] as? [String: Any]
            #expect(typeProperty?["const"] as? String == type.rawValue, "\(type.rawValue)")
            let version = properties?["version"] as? [String: Any]
            #expect(version?["const"] as? Int == type.schemaVersion, "\(type.rawValue)")
        }
        // Nothing else: no schema for a type the code does not have.
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path(percentEncoded: false))
            .filter { $0.hasSuffix(".schema.json") }
        #expect(Set(files) == Set(EventType.allCases.map { "\($0.rawValue).schema.json" }))
    }

    @Test("the README links every schema")
    func readmeListsThem() throws {
        let readme = try String(contentsOf: Self.folder.appending(path: "README.md"), encoding: .utf8)
        for type in EventType.allCases {
            #expect(readme.contains("| `\(type.rawValue)` | [\(type.rawValue).schema.json](\(type.rawValue).schema.json) |"), "\(type.rawValue)")
        }
    }

    @Test("a rendered envelope of each type has every property its schema requires, each as the schema describes it")
    func renderingKeepsTheSchema() throws {
        for type in EventType.allCases {
            let schema = try Self.schema(of: type)
            let required = try #require(schema["required"] as? [String])
            let properties = try #require(schema["properties"] as? [String: [String: Any]])
            #expect(Set(required).isSubset(of: properties.keys), "\(type.rawValue)")
            for sample in try Self.samples(of: type) {
                for name in required {
                    #expect(sample[name] != nil, "\(type.rawValue) lacks \(name)")
                }
                for (name, value) in sample {
                    guard let property = properties[name] else {
                        Issue.record("\(type.rawValue): the envelope renders \(name), which the schema does not describe")
                        continue
                    }
                    if let problem = Self.problem(value, against: property) {
                        Issue.record("\(type.rawValue).\(name): \(problem)")
                    }
                }
            }
        }
    }

    @Test("the structural check itself refuses what breaks a schema")
    func checkFindsProblems() {
        let id: [String: Any] = ["type": "string", "pattern": "^[0-9a-f]{4}$", "minLength": 4, "maxLength": 4]
        #expect(Self.problem("abcd", against: id) == nil)
        #expect(Self.problem("ABCD", against: id) != nil)
        #expect(Self.problem("abc", against: id) != nil)
        #expect(Self.problem(12, against: id) != nil)
        let version: [String: Any] = ["type": "integer", "const": 1]
        #expect(Self.problem(1, against: version) == nil)
        #expect(Self.problem(2, against: version) != nil)
        #expect(Self.problem(true, against: version) != nil)
        #expect(Self.problem("1", against: version) != nil)
        #expect(Self.problem([String: Any](), against: ["type": "object"]) == nil)
        #expect(Self.problem([1], against: ["type": "object"]) != nil)
    }
}
