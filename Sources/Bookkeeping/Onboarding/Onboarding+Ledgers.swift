import Foundation
import LedgerCore
import StrongroomKernel

extension Onboarding {
    public func createLedger(_ input: NewLedger, organizationID: String, store: any LedgerStore) async throws -> Ledger {
        try input.validate()
        _ = try await organization(organizationID, store: store)
        let now = clock.now()
        let ledger = Ledger(
            id: newID(), organizationID: organizationID, name: input.name, status: input.status ?? .active,
            metadata: input.metadata ?? Metadata(), createdAt: now, updatedAt: now, settings: input.settings
        )
        try await store.insert(ledger)
        return ledger
    }

    /// Renames the ledger, or changes its status or metadata. Its settings are fixed when it
    /// is created: a PATCH may repeat them, and a `bankDetails` that differs from the
    /// ledger's (set where there was none, or changed) is refused (422, SR-4014); null
    /// leaves it unchanged, as every null in a PATCH does.
    public func updateLedger(_ ref: LedgerRef, _ changes: LedgerChanges, store: any LedgerStore) async throws -> Ledger {
        try changes.validate()
        let current = try await ledger(ref, store: store)
        if let asked = changes.settings?.bankDetails, asked != current.settings?.bankDetails {
            let message = current.settings?.bankDetails == nil
                ? "cannot be set after the ledger is created" : "is fixed once set and cannot be changed"
            throw StrongroomError(
                .ledgerSettingFixed, "Field 'settings.bankDetails' \(message).", fields: [.init(field: "settings.bankDetails", message: message)]
            )
        }
        return try await save(current, renamedBy: changes, store: store)
    }

    public func deleteLedger(_ ref: LedgerRef, store: any LedgerStore) async throws {
        _ = try await ledger(ref, store: store)
        for kind in [EntityKind.asset, .account, .portfolio, .segment] where try await store.hasLiveChildren(kind, linkedBy: .ledger, to: ref.ledgerID) {
            throw StrongroomError.stillInUse("The ledger still has \(kind.rawValue)s.")
        }
        try await store.softDelete(Ledger.self, id: ref.ledgerID, at: clock.now())
    }
}
