import StrongroomKernel

/// The field errors of one body, gathered so a client hears of every bad field at once
/// instead of one per attempt.
struct FieldProblems {
    private(set) var fields: [StrongroomError.FieldError] = []

    mutating func add(_ field: String, _ message: String) {
        fields.append(.init(field: field, message: message))
    }

    /// Adds the fields of a refusal a single check threw.
    mutating func add(_ error: StrongroomError) {
        fields.append(contentsOf: error.fields)
    }

    /// Runs `check`, keeping its value or its field errors.
    mutating func check<Value>(_ check: () throws(StrongroomError) -> Value) -> Value? {
        do {
            return try check()
        } catch {
            add(error)
            return nil
        }
    }

    /// Throws one 422 naming every field gathered, or nothing when there is none.
    func throwIfAny(_ what: String) throws(StrongroomError) {
        guard let first = fields.first else { return }
        let detail =
            fields.count == 1
            ? "Field '\(first.field)' \(first.message)."
            : "\(what) has \(fields.count) invalid fields: \(fields.map(\.field).joined(separator: ", "))."
        throw StrongroomError(.invalidValue, detail, fields: fields)
    }
}
