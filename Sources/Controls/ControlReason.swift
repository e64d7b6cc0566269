import StrongroomKernel

/// Why a freeze or lock was set or lifted, as the operator wrote it: required, and bounded
/// so an audit record and an entity's JSON stay small.
public enum ControlReason {
    public static let maxCharacters = 500

    /// Checks a reason: 1 to `maxCharacters` characters, not only white space.
    public static func check(_ reason: String, field: String = "reason") throws(StrongroomError) {
        guard !reason.allSatisfy(\.isWhitespace) else {
            throw StrongroomError(.invalidValue, "The reason must not be empty.", fields: [.init(field: field, message: "must not be empty")])
        }
        guard reason.count <= maxCharacters else {
            throw StrongroomError(
                .invalidValue, "The reason is longer than \(maxCharacters) characters.",
                fields: [.init(field: field, message: "must be at most \(maxCharacters) characters")]
            )
        }
    }
}
