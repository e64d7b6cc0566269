import Controls
import StrongroomKernel

/// A control rule as the store keeps it: its definition (the draft that was validated) at a
/// version, whether it is active, and who made and last changed it. `rule()` validates the
/// definition again, so what the posting path reads is always a rule the current code accepts.
public struct StoredControlRule: Sendable, Equatable {
    public let id: String
    public let organizationID: String
    public let definition: ControlRuleDraft
    public let version: Int
    public let active: Bool
    public let createdAt: Timestamp
    public let createdBy: String
    public let updatedAt: Timestamp
    public let updatedBy: String

    public init(
        id: String, organizationID: String, definition: ControlRuleDraft, version: Int, active: Bool, createdAt: Timestamp,
        createdBy: String, updatedAt: Timestamp, updatedBy: String
    ) {
        self.id = id
        self.organizationID = organizationID
        self.definition = definition
        self.version = version
        self.active = active
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    public var ledgerID: String? { definition.ledgerID }
    public var kind: String { definition.kind ?? "" }

    /// The rule this row describes, or the 422 its definition now answers.
    public func rule() throws(StrongroomError) -> ControlRule {
        try definition.validated(id: id, version: version, organizationID: organizationID)
    }

    /// The same rule at the next version with `definition`, changed at `at` by `by`.
    public func updated(to definition: ControlRuleDraft, at: Timestamp, by: String) -> StoredControlRule {
        StoredControlRule(
            id: id, organizationID: organizationID, definition: definition, version: version + 1, active: active, createdAt: createdAt,
            createdBy: createdBy, updatedAt: at, updatedBy: by
        )
    }
}
