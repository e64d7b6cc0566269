import StrongroomKernel

/// The small rules every entity field obeys; each refusal is 422 `SR-2025` naming the field.
public enum FieldRules {
    /// Non-empty, at most `max` characters, no control characters.
    public static func text(_ value: String, field: String, max: Int) throws(StrongroomError) {
        guard !value.isEmpty else { throw .invalidValue(field, "must not be empty") }
        guard value.count <= max else { throw .invalidValue(field, "must be at most \(max) characters") }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidValue(field, "must not contain control characters")
        }
    }

    public static func optionalText(_ value: String?, field: String, max: Int) throws(StrongroomError) {
        if let value { try text(value, field: field, max: max) }
    }

    /// Lower-cases an id read from a path or body; nil when it is not a UUID at all.
    public static func normalizedID(_ value: String) -> String? {
        let lowered = value.lowercased()
        return CanonicalID.isValid(lowered) ? lowered : nil
    }
}
