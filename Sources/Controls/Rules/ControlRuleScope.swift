/// Where a rule applies: an organization, or one ledger of it.
public struct ControlRuleScope: Sendable, Hashable {
    public let organizationID: String
    /// Nil for every ledger of the organization.
    public let ledgerID: String?

    public init(organizationID: String, ledgerID: String? = nil) {
        self.organizationID = organizationID
        self.ledgerID = ledgerID
    }

    /// Whether a posting in `ledgerID` of `organizationID` is inside the scope.
    public func covers(organizationID: String, ledgerID: String) -> Bool {
        organizationID == self.organizationID && (self.ledgerID == nil || self.ledgerID == ledgerID)
    }
}
