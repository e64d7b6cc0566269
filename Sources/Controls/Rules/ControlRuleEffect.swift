/// What a rule applies to and what it requires.
public enum ControlRuleEffect: Sendable, Hashable {
    /// Transactions meeting the criteria wait for approvals before they post.
    case transactionApproval(TransactionCriteria, ApprovalRequirement)
    /// Sending beyond the limit is refused.
    case limit(SpendingLimit)
    /// These administrative actions wait for approvals before they are carried out.
    case administrativeApproval(Set<AdministrativeAction>, ApprovalRequirement)

    /// The requirement of a rule that holds; nil for a limit, which only refuses.
    public var requirement: ApprovalRequirement? {
        switch self {
        case .transactionApproval(_, let requirement), .administrativeApproval(_, let requirement): requirement
        case .limit: nil
        }
    }
}
