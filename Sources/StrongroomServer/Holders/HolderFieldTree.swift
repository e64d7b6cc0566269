import Holders
import StrongroomEdge

/// `HolderField.all` as the nested objects of Midaz's holder shape (`contact`,
/// `addresses.primary`, `legalPerson.representative`): what a body's shape declares, how a
/// body's personal fields are read into one flat map by `PersonalFieldName`, and how such a
/// map is written back as the nested objects an answer holds. One walk of one tree for all
/// three, so the body, the answer and the sealed rows cannot disagree on a field's name.
indirect enum HolderFieldTree: Sendable {
    case leaf(HolderField)
    case group([String: HolderFieldTree])

    /// The top level: `name`, `document`, and a group per object of the shape.
    static let root: [String: HolderFieldTree] = {
        var root: [String: HolderFieldTree] = [:]
        for field in HolderField.all { insert(field, at: field.path[...], into: &root) }
        return root
    }()

    private static func insert(_ field: HolderField, at path: ArraySlice<String>, into level: inout [String: HolderFieldTree]) {
        guard let head = path.first else { return }
        guard path.count > 1 else {
            level[head] = .leaf(field)
            return
        }
        var children: [String: HolderFieldTree] = [:]
        if case .group(let existing) = level[head] { children = existing }
        insert(field, at: path.dropFirst(), into: &children)
        level[head] = .group(children)
    }

    /// Each top-level key's shape: a field is a scalar (nil), a group an object of optional
    /// keys.
    static var shapes: [String: BodyShape?] { root.mapValues(\.shape) }

    private var shape: BodyShape? {
        switch self {
        case .leaf: nil
        case .group(let children): .object(children.mapValues(\.shape))
        }
    }

    // MARK: Reading a body

    /// Every personal field the body gives a string, by name; a null or absent field, or a
    /// null group, is not in the map. An empty string is kept: what it means is the route's.
    static func decode(_ container: KeyedDecodingContainer<Key>) throws -> [PersonalFieldName: String] {
        var values: [PersonalFieldName: String] = [:]
        try decode(root, from: container, into: &values)
        return values
    }

    private static func decode(
        _ level: [String: HolderFieldTree], from container: KeyedDecodingContainer<Key>, into values: inout [PersonalFieldName: String]
    ) throws {
        for (key, node) in level {
            let codingKey = Key(key)
            guard container.contains(codingKey), !(try container.decodeNil(forKey: codingKey)) else { continue }
            switch node {
            case .leaf(let field):
                values[field.name] = try container.decode(String.self, forKey: codingKey)
            case .group(let children):
                try decode(children, from: try container.nestedContainer(keyedBy: Key.self, forKey: codingKey), into: &values)
            }
        }
    }

    // MARK: Writing an answer

    /// Writes `values` as the nested objects of the shape: a group appears only when it holds
    /// a value. Names outside the catalogue are not written.
    static func encode(_ values: [PersonalFieldName: String], into container: inout KeyedEncodingContainer<Key>) throws {
        try encode(root, values, into: &container)
    }

    private static func encode(
        _ level: [String: HolderFieldTree], _ values: [PersonalFieldName: String], into container: inout KeyedEncodingContainer<Key>
    ) throws {
        for (key, node) in level.sorted(by: { $0.key < $1.key }) {
            switch node {
            case .leaf(let field):
                if let value = values[field.name] { try container.encode(value, forKey: Key(key)) }
            case .group(let children):
                guard children.values.contains(where: { $0.holdsAny(of: values) }) else { continue }
                var nested = container.nestedContainer(keyedBy: Key.self, forKey: Key(key))
                try encode(children, values, into: &nested)
            }
        }
    }

    private func holdsAny(of values: [PersonalFieldName: String]) -> Bool {
        switch self {
        case .leaf(let field): values[field.name] != nil
        case .group(let children): children.values.contains { $0.holdsAny(of: values) }
        }
    }

    /// A JSON object's key by its text: the holder shape's keys are data (`HolderField.all`),
    /// not an enum.
    struct Key: CodingKey, Hashable, Sendable {
        let stringValue: String
        var intValue: Int? { nil }

        init(_ text: String) { stringValue = text }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
