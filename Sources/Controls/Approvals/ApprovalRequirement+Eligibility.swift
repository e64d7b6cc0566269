import StrongroomKernel

extension ApprovalRequirement {
    /// How many people could approve a request of `maker` when the group's members are
    /// `members`: the persons among them (a machine client never approves) other than the
    /// maker. With no maker named (a rule being saved, before anyone makes a request under
    /// it), one member is set aside, since any member may turn out to be the maker.
    public func eligibleApprovers(among members: Set<ApprovalParty>, maker: ApprovalParty?) -> Int {
        let persons = members.filter(\.isPerson)
        guard let maker else { return max(persons.count - 1, 0) }
        return persons.subtracting([maker]).count
    }

    /// Refuses (422, `noEligibleApprovers`, naming `group`) a requirement that `members`
    /// could never meet: a rule like that would hold everything it matches until it expired.
    public func checkEligibleApprovers(among members: Set<ApprovalParty>, maker: ApprovalParty? = nil) throws(StrongroomError) {
        let eligible = eligibleApprovers(among: members, maker: maker)
        guard eligible >= approvals else {
            let message = "has \(eligible) people who could approve besides the maker; the rule needs \(approvals)"
            throw StrongroomError(
                .noEligibleApprovers, "Group '\(group)' \(message).", fields: [.init(field: "group", message: message)]
            )
        }
    }
}
