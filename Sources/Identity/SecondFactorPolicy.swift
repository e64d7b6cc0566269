/// Who must prove a second factor: the one rule that password login (which sends a person
/// without one to enrolment) and an outside issuer's callers (whose groups grant only when
/// the issuer says one was used) both apply, so the two cannot drift apart.
///
/// It concerns persons only. A machine client proves itself with a 256-bit secret and cannot
/// enrol, so nothing here is asked of one, whatever its groups say.
public struct SecondFactorPolicy: Sendable, Equatable {
    /// Members of `administrators` need one whatever the group says (production).
    public var administratorsRequireMFA: Bool
    /// Every person needs one, whatever groups it is in (`usersRequireMfa`; on by default in
    /// production).
    public var usersRequireMFA: Bool

    public init(administratorsRequireMFA: Bool, usersRequireMFA: Bool) {
        self.administratorsRequireMFA = administratorsRequireMFA
        self.usersRequireMFA = usersRequireMFA
    }

    /// Whether membership of `group` asks a second factor of a person.
    public func requiresSecondFactor(_ group: Group) -> Bool {
        usersRequireMFA || group.requiresMFA || (administratorsRequireMFA && group.name == Group.administratorsName)
    }

    /// Whether a person in `groups` must have a second factor: with `usersRequireMFA`, even
    /// one in no group at all, since it is the person, not a grant, that must enrol.
    public func personNeedsSecondFactor(groups: [Group]) -> Bool {
        usersRequireMFA || groups.contains(where: requiresSecondFactor)
    }

    /// The groups that grant to a person whose issuer says (`multiFactor`) or does not say a
    /// second factor was used: all of them, or only those that do not ask for one.
    public func grantedGroups(_ groups: [Group], multiFactor: Bool) -> [Group] {
        guard !multiFactor else { return groups }
        return groups.filter { !requiresSecondFactor($0) }
    }
}
