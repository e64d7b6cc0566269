import Controls
import Identity
import StrongroomKernel

/// Whether an author may save a rule: a rule may cover only what its author holds. Every
/// rule needs `controls:manage` where it applies (its organization, or its ledger); a rule
/// holding administrative actions also needs, for each action, the permission that action
/// itself needs, where the action happens. Creating users, groups and clients and rotating
/// the signing keys happen outside any organization (and a rule naming them holds them for
/// the whole service, `ControlRuleBook.decide`), so those need a grant that reaches
/// everywhere; an unfreeze or a rule change happens in the rule's own scope.
enum ControlRuleAuthority {
    /// The permission an administrative action needs, and whether it is done outside any
    /// organization.
    static func permission(for action: AdministrativeAction) -> (permission: Permission, global: Bool) {
        switch action {
        case .userCreate: (.usersManage, true)
        case .groupUpdate: (.groupsManage, true)
        case .clientCreate, .clientRotateSecret: (.clientsManage, true)
        case .keysRotate: (.keysManage, true)
        case .accountUnfreeze: (.accountsFreeze, false)
        case .controlRuleCreate, .controlRuleUpdate, .controlRuleDisable: (.controlsManage, false)
        }
    }

    /// 403 (SR-1009) naming the first permission `grants` lack for `rule`, in action order.
    static func check(_ rule: ControlRule, grants: Grants) throws(StrongroomError) {
        let scope = AccessTarget(organizationID: rule.scope.organizationID, ledgerID: rule.scope.ledgerID)
        guard grants.allows(.controlsManage, on: scope) else { throw AccessPolicy.outOfScope(.controlsManage) }
        guard case .administrativeApproval(let actions, _) = rule.effect else { return }
        for action in actions.sorted() {
            let (permission, global) = permission(for: action)
            guard grants.allows(permission, on: global ? .none : scope) else { throw AccessPolicy.outOfScope(permission) }
        }
    }
}
