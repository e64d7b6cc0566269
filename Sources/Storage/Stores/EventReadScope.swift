import Bookkeeping

/// Which events a reader of the outbox may see: every event, or those of some
/// organizations (whole) and some ledgers. An event that belongs to no organization (a
/// security event) is seen only by a reader of everything. Built by the pull API from the
/// caller's grants of `events:read`.
public struct EventReadScope: Sendable, Equatable {
    /// nil: every organization, and the events of none.
    public let organizations: Set<String>?
    /// Ledgers seen in addition to the whole organizations.
    public let ledgers: Set<LedgerRef>

    public static let everything = EventReadScope(organizations: nil, ledgers: [])

    public init(organizations: Set<String>?, ledgers: Set<LedgerRef>) {
        self.organizations = organizations
        self.ledgers = ledgers
    }

    /// Whether the scope reaches no event at all (a reader with no grant anywhere).
    public var isEmpty: Bool { organizations?.isEmpty == true && ledgers.isEmpty }

    /// Whether an event with these references is in the scope: the rule the SQL filter of
    /// `EventRecords.page` states, kept here so a test can hold the two to each other.
    public func contains(organizationID: String?, ledgerID: String?) -> Bool {
        guard let organizations else { return true }
        guard let organizationID else { return false }
        if organizations.contains(organizationID) { return true }
        guard let ledgerID else { return false }
        return ledgers.contains(LedgerRef(organizationID: organizationID, ledgerID: ledgerID))
    }
}
