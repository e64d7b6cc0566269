import Foundation
import LedgerCore
import StrongroomKernel

extension Onboarding {
    public func createLedger(_ input: NewNamedEntity, organizationID: String, store: any LedgerStore) async throws -> Ledger {
        try input.validate()
        _ = try await organization(organizationID, store: store)
        let now = clock.now()
        let ledger = Ledger(
            id: newID(), organizationID: organizationID, name: input.name, status: input.status ?? .active,
            metadata: input.metadata ?? Metadata(), createdAt: now, updatedAt: now
        )
        try await store.insert(ledger)
        return ledger
    }

    public func updateLedger(_ ref: LedgerRef, _ changes: NamedEntityChanges, store: any LedgerStore) async throws -> Ledger {
        try await rename(try await ledger(ref, store: store), changes, store: store)
    }

    public func deleteLedger(_ ref: LedgerRef, store: any LedgerStore) async throws {
        _ = try await ledger(ref, store: store)
        for kind in [EntityKind.asset, .account, .portfolio, .segment] where try await store.hasLiveChildren(kind, linkedBy: .ledger, to: ref.ledgerID) {
            throw StrongroomError.stillInUse("The ledger still has \(kind.rawValue)s.")
        }
        try await store.softDelete(Ledger.self, id: ref.ledgerID, at: clock.now())
    }
}
