import StrongroomKernel

/// Midaz's status object: a free code (`ACTIVE` by default) and an optional description.
public struct EntityStatus: Sendable, Equatable, Codable {
    public var code: String
    public var description: String?

    public static let active = EntityStatus(code: "ACTIVE", description: nil)

    public init(code: String, description: String? = nil) {
        self.code = code
        self.description = description
    }

    public func validate(field: String = "status") throws(StrongroomError) {
        try FieldRules.text(code, field: "\(field).code", max: 100)
        try FieldRules.optionalText(description, field: "\(field).description", max: 256)
    }
}
