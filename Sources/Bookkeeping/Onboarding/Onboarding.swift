import Foundation
import LedgerCore
import StrongroomKernel

/// Creates, changes and deletes the ledger's entities under their rules: parents must
/// exist, aliases and asset codes are unique among live rows, an asset brings its
/// `@external` account, an account brings its balance, nothing holding money is deleted,
/// and deletes are soft.
public struct Onboarding: Sendable {
    let clock: any WallClock
    let ids: IdentifierGenerator

    public init(clock: any WallClock) {
        self.clock = clock
        self.ids = IdentifierGenerator(clock: clock)
    }

    func newID() -> String { ids.nextText() }

    // MARK: Lookups that answer 404

    public func organization(_ id: String, store: any LedgerStore) async throws -> Organization {
        guard let found = try await store.find(Organization.self, id: id, in: .root) else { throw StrongroomError.notFound("The organization") }
        return found
    }

    public func ledger(_ ref: LedgerRef, store: any LedgerStore) async throws -> Ledger {
        guard let found = try await store.find(Ledger.self, id: ref.ledgerID, in: .organization(ref.organizationID)) else {
            throw StrongroomError.notFound("The ledger")
        }
        return found
    }

    public func entity<E: LedgerRecord>(_ type: E.Type, id: String, in ledger: LedgerRef, store: any LedgerStore) async throws -> E {
        guard let found = try await store.find(type, id: id, in: .ledger(ledger)) else {
            throw StrongroomError.notFound("The \(E.kind.rawValue)")
        }
        return found
    }

    // MARK: Helpers

    /// Applies a name / status / metadata change to a ledger, an asset or a segment.
    func rename<E: NamedRecord>(_ entity: E, _ changes: NamedEntityChanges, store: any LedgerStore) async throws -> E {
        try changes.validate()
        return try await save(entity, renamedBy: changes, store: store)
    }

    /// Applies the name with the fields every PATCH shares, then stamps and stores the entity.
    func save<E: NamedRecord>(_ entity: E, renamedBy changes: some NamedChanges, store: any LedgerStore) async throws -> E {
        var entity = entity
        if let value = changes.name { entity.name = value }
        return try await save(entity, changes, store: store)
    }

    /// Applies the status and metadata every entity's PATCH may change (the caller has set
    /// the entity's own fields), then stamps and stores the entity.
    func save<E: ChangeableRecord>(_ entity: E, _ changes: some EntityChanges, store: any LedgerStore) async throws -> E {
        var entity = entity
        if let value = changes.status { entity.status = value }
        if let value = changes.metadata { entity.metadata = value }
        entity.updatedAt = clock.now()
        try await store.update(entity)
        return entity
    }

    @discardableResult
    func requireReference<E: LedgerRecord>(
        _ type: E.Type, _ id: String, in scope: EntityScope, field: String, _ store: any LedgerStore
    ) async throws -> E {
        guard let normalized = FieldRules.normalizedID(id), let found = try await store.find(type, id: normalized, in: scope) else {
            throw StrongroomError(
                .unknownReference, "The \(E.kind.rawValue) named by '\(field)' does not exist.",
                fields: [.init(field: field, message: "does not exist")]
            )
        }
        return found
    }

    func openBalance(for account: Account, scale: Int, now: Timestamp) -> Balance {
        var state = BalanceState.opened(scale: scale, isExternal: account.isExternal)
        state.accountBlocked = account.blocked
        return Balance(
            id: newID(), organizationID: account.organizationID, ledgerID: account.ledgerID, accountID: account.id, alias: account.alias,
            assetCode: account.assetCode, accountType: account.type, state: state, createdAt: now, updatedAt: now
        )
    }
}
