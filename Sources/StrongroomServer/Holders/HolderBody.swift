import Bookkeeping
import Holders
import Storage
import StrongroomEdge
import StrongroomKernel

/// What a holder body carries, read from `POST /v1/holders` (Midaz's `CreateHolderRequest`,
/// `HolderBody.Create`) or `PATCH /v1/holders/{id}` (`UpdateHolderRequest`,
/// `HolderBody.Change`): the plain fields, and every personal field flat by its
/// `PersonalFieldName` (`HolderFieldTree`).
///
/// `null` is absence at every depth: on a create the field is not set, on a change it is
/// left as it is. An empty string is "no value": on a create the field is not set (`name` and
/// `document` must not be empty), on a change it removes the field (`name` cannot be
/// removed). A change merges field by field, so `{"contact":{"mobilePhone":"…"}}` changes
/// the mobile phone and keeps the emails. `type` and `document` cannot change (Midaz's
/// `UpdateHolderRequest` has neither): a change accepts them only as null.
struct HolderBody: Sendable, Encodable {
    static let maxExternalIDLength = 100

    var type: String?
    var externalID: String?
    var metadata: Metadata?
    var personal: [PersonalFieldName: String]

    private init(from decoder: any Decoder, creating: Bool) throws {
        let container = try decoder.container(keyedBy: HolderFieldTree.Key.self)
        if creating {
            // The shape refuses a null here; a key left out is the decoder's to name.
            for key in ["type", "name", "document"] where !container.contains(HolderFieldTree.Key(key)) {
                throw DecodingError.keyNotFound(HolderFieldTree.Key(key), .init(codingPath: [], debugDescription: "required"))
            }
        }
        type = try container.decodeIfPresent(String.self, forKey: HolderFieldTree.Key("type"))
        externalID = try container.decodeIfPresent(String.self, forKey: HolderFieldTree.Key("externalId"))
        metadata = try container.decodeIfPresent(Metadata.self, forKey: HolderFieldTree.Key("metadata"))
        personal = try HolderFieldTree.decode(container)
    }

    /// The canonical form the idempotency digest is taken of: the same nested shape, sorted.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: HolderFieldTree.Key.self)
        try container.encodeIfPresent(type, forKey: HolderFieldTree.Key("type"))
        try container.encodeIfPresent(externalID, forKey: HolderFieldTree.Key("externalId"))
        try container.encodeIfPresent(metadata, forKey: HolderFieldTree.Key("metadata"))
        try HolderFieldTree.encode(personal, into: &container)
    }

    /// The top-level keys of both shapes.
    private static func shape(creating: Bool) -> BodyShape {
        var fields = HolderFieldTree.shapes
        fields.updateValue(nil, forKey: "externalId")
        fields.updateValue(.free, forKey: "metadata")
        if creating {
            fields.updateValue(nil, forKey: "type")
            return .object(fields, required: ["type", "name", "document"])
        }
        fields.updateValue(.unsupported, forKey: "type")
        fields.updateValue(.unsupported, forKey: "document")
        return .object(fields, required: [])
    }

    struct Create: StrictDecodable, Encodable, Sendable {
        let body: HolderBody

        init(from decoder: any Decoder) throws { body = try HolderBody(from: decoder, creating: true) }
        func encode(to encoder: any Encoder) throws { try body.encode(to: encoder) }
        static var shape: BodyShape { HolderBody.shape(creating: true) }
    }

    struct Change: StrictDecodable, Encodable, Sendable {
        let body: HolderBody

        init(from decoder: any Decoder) throws { body = try HolderBody(from: decoder, creating: false) }
        func encode(to encoder: any Encoder) throws { try body.encode(to: encoder) }
        static var shape: BodyShape { HolderBody.shape(creating: false) }
    }

    // MARK: Rules

    /// The holder type a create names: 422 (SR-2025) unless Midaz's `NATURAL_PERSON` or
    /// `LEGAL_PERSON`.
    func kind() throws(StrongroomError) -> StoredHolder.Kind {
        guard let type, let kind = StoredHolder.Kind(rawValue: type) else {
            throw StrongroomError.invalidValue("type", "must be NATURAL_PERSON or LEGAL_PERSON")
        }
        return kind
    }

    /// Refuses a body that breaks a field's rule, naming every bad field at once (422,
    /// SR-2025), then bad metadata (422, SR-2024), for a holder of `kind`. No message holds a
    /// value.
    func validate(creating: Bool, kind: StoredHolder.Kind) throws(StrongroomError) {
        var problems: [StrongroomError.FieldError] = []
        func refuse(_ field: String, _ message: String) { problems.append(.init(field: field, message: message)) }
        var refusedGroups: Set<String> = []
        for (name, value) in personal.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let field = HolderField.byName[name] else { continue }
            guard !value.isEmpty else {
                if creating, name == HolderField.holderName || name == HolderField.document {
                    refuse(name.rawValue, "must not be empty")
                } else if !creating, name == HolderField.holderName {
                    refuse(name.rawValue, "cannot be removed")
                }
                continue
            }
            if let message = field.refusal(of: value) { refuse(name.rawValue, message) }
            if let group = field.group, let only = Self.onlyFor[group], only != kind, refusedGroups.insert(group).inserted {
                refuse(group, "is only for a \(only.rawValue) holder")
            }
        }
        if let externalID, !externalID.isEmpty {
            if externalID.count > Self.maxExternalIDLength {
                refuse("externalId", "must be at most \(Self.maxExternalIDLength) characters")
            } else if externalID.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                refuse("externalId", "must not contain control characters")
            }
        }
        if !problems.isEmpty {
            let names = problems.map(\.field).joined(separator: ", ")
            throw StrongroomError(.invalidValue, "Invalid holder field(s): \(names).", fields: problems)
        }
        try metadata?.validate()
    }

    /// The groups that belong to one type of holder.
    private static let onlyFor: [String: StoredHolder.Kind] = ["naturalPerson": .naturalPerson, "legalPerson": .legalPerson]
}
