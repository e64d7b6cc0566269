import Controls
import Storage
import StrongroomKernel

/// A control rule as the routes answer it: its definition's fields (`kind`, `asset`,
/// `approvals`, …, as sent) beside its id, organization, version, state and history.
struct ControlRuleView: Encodable {
    let rule: StoredControlRule

    private enum CodingKeys: String, CodingKey {
        case id
        case organizationID = "organization_id"
        case version, active
        case createdAt = "created_at"
        case createdBy = "created_by"
        case updatedAt = "updated_at"
        case updatedBy = "updated_by"
    }

    func encode(to encoder: any Encoder) throws {
        // The definition's keys and these never overlap (`ControlRuleDraft.CodingKeys`).
        try rule.definition.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule.id, forKey: .id)
        try container.encode(rule.organizationID, forKey: .organizationID)
        try container.encode(rule.version, forKey: .version)
        try container.encode(rule.active, forKey: .active)
        try container.encode(rule.createdAt, forKey: .createdAt)
        try container.encode(rule.createdBy, forKey: .createdBy)
        try container.encode(rule.updatedAt, forKey: .updatedAt)
        try container.encode(rule.updatedBy, forKey: .updatedBy)
    }
}
