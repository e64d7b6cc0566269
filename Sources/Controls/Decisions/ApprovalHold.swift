import StrongroomKernel

/// A decision to hold: which rule, at which version, asks for what, and until when the
/// request may wait. An approval request is opened from it.
public struct ApprovalHold: Sendable, Hashable {
    public let ruleID: String
    public let ruleVersion: Int
    public let requirement: ApprovalRequirement
    public let expiresAt: Timestamp

    public init(ruleID: String, ruleVersion: Int, requirement: ApprovalRequirement, expiresAt: Timestamp) {
        self.ruleID = ruleID
        self.ruleVersion = ruleVersion
        self.requirement = requirement
        self.expiresAt = expiresAt
    }

    /// `rule`'s hold on something made at `at`.
    init(rule: ControlRule, requirement: ApprovalRequirement, at: Timestamp) {
        let (expiry, overflow) = requirement.expirySeconds.multipliedReportingOverflow(by: 1_000_000)
        let (end, late) = at.microsecondsSinceEpoch.addingReportingOverflow(expiry)
        self.init(
            ruleID: rule.id, ruleVersion: rule.version, requirement: requirement,
            expiresAt: Timestamp(microsecondsSinceEpoch: overflow || late ? .max : end)
        )
    }
}
