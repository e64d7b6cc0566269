/// Where a group's grants apply: everywhere, in one organization, or in one ledger of it.
/// Ids are kept lower-case, as paths and storage spell them.
public struct AccessScope: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let organizationID: String?
    public let ledgerID: String?

    public static let everywhere = AccessScope(checkedOrganization: nil, ledger: nil)

    /// A ledger scope needs its organization; there is no ledger scope on its own.
    public init?(organizationID: String?, ledgerID: String?) {
        if ledgerID != nil, organizationID == nil { return nil }
        self.init(checkedOrganization: organizationID, ledger: ledgerID)
    }

    private init(checkedOrganization: String?, ledger: String?) {
        self.organizationID = checkedOrganization?.lowercased()
        self.ledgerID = ledger?.lowercased()
    }

    public var isEverywhere: Bool { organizationID == nil }

    /// Whether a grant in this scope reaches a request for `target`. A global grant reaches
    /// everything; an organization grant, whatever is under that organization; a ledger
    /// grant, whatever is under that ledger. A target outside every organization (the
    /// administration routes, the audit trail) needs a global grant.
    public func covers(_ target: AccessTarget) -> Bool {
        guard let organizationID else { return true }
        guard target.organizationID == organizationID else { return false }
        guard let ledgerID else { return true }
        return target.ledgerID == ledgerID
    }

    /// Whether everything this scope reaches, `other` reaches too.
    public func isWithin(_ other: AccessScope) -> Bool {
        other.covers(AccessTarget(organizationID: organizationID, ledgerID: ledgerID))
            && (organizationID != nil || other.isEverywhere)
    }

    public var description: String {
        switch (organizationID, ledgerID) {
        case (nil, _): "everywhere"
        case (let org?, nil): "organization \(org)"
        case (let org?, let ledger?): "ledger \(ledger) of organization \(org)"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.organizationID ?? "", lhs.ledgerID ?? "") < (rhs.organizationID ?? "", rhs.ledgerID ?? "")
    }
}

/// What a request touches, from the ids in its path: nothing in particular (the
/// administration routes), an organization, or a ledger of one.
public struct AccessTarget: Sendable, Hashable {
    public let organizationID: String?
    public let ledgerID: String?

    public static let none = AccessTarget(organizationID: nil, ledgerID: nil)

    public init(organizationID: String?, ledgerID: String?) {
        self.organizationID = organizationID?.lowercased()
        self.ledgerID = ledgerID?.lowercased()
    }
}
