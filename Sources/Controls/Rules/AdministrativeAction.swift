import StrongroomKernel

/// The administrative actions a rule may hold for approval, by the names the audit trail
/// gives them.
public enum AdministrativeAction: String, Sendable, Hashable, CaseIterable, Comparable {
    case userCreate = "user.create"
    case groupUpdate = "group.update"
    case clientCreate = "client.create"
    case clientRotateSecret = "client.rotate_secret"
    case keysRotate = "keys.rotate"
    case accountUnfreeze = "account.unfreeze"
    case controlRuleCreate = "control_rule.create"
    case controlRuleUpdate = "control_rule.update"
    case controlRuleDisable = "control_rule.disable"

    /// `control_rule.*`: every change to the rules, so a rule protecting the others cannot
    /// itself be changed by one person.
    public static let controlRuleWildcard = "control_rule.*"

    /// The actions a name in a rule stands for: itself, or every rule change for
    /// `control_rule.*`; nil for any other name.
    public static func named(_ name: String) -> [AdministrativeAction]? {
        if name == controlRuleWildcard { return [.controlRuleCreate, .controlRuleUpdate, .controlRuleDisable] }
        return AdministrativeAction(rawValue: name).map { [$0] }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
