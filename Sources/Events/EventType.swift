/// What happened: the `type` of every event, as receivers filter and branch on it.
///
/// Each raw value is `<subject>.<what happened>` and is never renamed once released, as an
/// error code is never renamed: a subscription names the types it wants, and a receiver's
/// code switches on them. A new kind of event is a new case.
public enum EventType: String, CaseIterable, Sendable {
    // A transaction's life (the posting engine's outcomes).
    case transactionPosted = "transaction.posted"
    case transactionPending = "transaction.pending"
    case transactionCommitted = "transaction.committed"
    case transactionCancelled = "transaction.cancelled"
    case transactionReverted = "transaction.reverted"
    /// One account's balance moved; ordered by that account.
    case balanceChanged = "balance.changed"

    // The ledger's entities: created, updated (a PATCH), deleted (soft).
    case organizationCreated = "organization.created"
    case organizationUpdated = "organization.updated"
    case organizationDeleted = "organization.deleted"
    case ledgerCreated = "ledger.created"
    case ledgerUpdated = "ledger.updated"
    case ledgerDeleted = "ledger.deleted"
    case assetCreated = "asset.created"
    case assetUpdated = "asset.updated"
    case assetDeleted = "asset.deleted"
    case portfolioCreated = "portfolio.created"
    case portfolioUpdated = "portfolio.updated"
    case portfolioDeleted = "portfolio.deleted"
    case segmentCreated = "segment.created"
    case segmentUpdated = "segment.updated"
    case segmentDeleted = "segment.deleted"
    case accountCreated = "account.created"
    case accountUpdated = "account.updated"
    case accountDeleted = "account.deleted"
    /// A balance's settings (allow sending, allow receiving); its money is `balanceChanged`.
    case balanceCreated = "balance.created"
    case balanceUpdated = "balance.updated"
    case balanceDeleted = "balance.deleted"

    // The incident controls (ControlRoutes' six routes).
    case accountFrozen = "account.frozen"
    case accountUnfrozen = "account.unfrozen"
    case portfolioLocked = "portfolio.locked"
    case portfolioUnlocked = "portfolio.unlocked"
    case ledgerFrozen = "ledger.frozen"
    case ledgerUnfrozen = "ledger.unfrozen"

    // Security: what a SIEM watches for.
    /// Failed logins for one user went over the throttle.
    case loginThrottled = "security.login_throttled"
    /// A refresh token was used twice, so its family was revoked.
    case refreshReuse = "security.refresh_reuse"
    /// A token signing key was rotated.
    case keyRotated = "security.key_rotated"

    /// The version of this type's body schema that events of this type are written with now.
    ///
    /// Per type, so one type's body can change without every receiver's parser of every other
    /// type seeing a new number. A change a receiver could notice (a field removed, renamed or
    /// retyped, a meaning changed) raises it; a new optional field does not. Every envelope
    /// carries the version it was written with, so stored events keep theirs.
    public var schemaVersion: Int {
        switch self {
        case .transactionPosted, .transactionPending, .transactionCommitted, .transactionCancelled, .transactionReverted,
             .balanceChanged:
            1
        case .organizationCreated, .organizationUpdated, .organizationDeleted, .ledgerCreated, .ledgerUpdated, .ledgerDeleted,
             .assetCreated, .assetUpdated, .assetDeleted, .portfolioCreated, .portfolioUpdated, .portfolioDeleted,
             .segmentCreated, .segmentUpdated, .segmentDeleted, .accountCreated, .accountUpdated, .accountDeleted,
             .balanceCreated, .balanceUpdated, .balanceDeleted:
            1
        case .accountFrozen, .accountUnfrozen, .portfolioLocked, .portfolioUnlocked, .ledgerFrozen, .ledgerUnfrozen:
            1
        case .loginThrottled, .refreshReuse, .keyRotated:
            1
        }
    }
}
