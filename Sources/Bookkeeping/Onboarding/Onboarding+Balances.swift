import Foundation
import LedgerCore
import StrongroomKernel

extension Onboarding {
    public func balance(_ id: String, in ref: LedgerRef, store: any LedgerStore) async throws -> Balance {
        guard let found = try await store.balance(id: id, in: ref) else { throw StrongroomError.notFound("The balance") }
        return found
    }

    /// Changes a balance's settings under its lock; its money never changes here.
    public func updateBalance(_ id: String, in ref: LedgerRef, _ changes: BalanceChanges, store: any LedgerStore) async throws -> Balance {
        var balance = try await lockedBalance(id, in: ref, store: store)
        guard !balance.state.isExternal else { throw StrongroomError.externalAccount() }
        balance.state = try changes.applied(to: balance.state)
        balance.updatedAt = clock.now()
        try await store.updateBalanceSettings(balance)
        return balance
    }

    public func deleteBalance(_ id: String, in ref: LedgerRef, store: any LedgerStore) async throws {
        let balance = try await lockedBalance(id, in: ref, store: store)
        guard !balance.state.isExternal else { throw StrongroomError.externalAccount() }
        guard !balance.state.holdsMoney else {
            throw StrongroomError.nonZeroBalance("A balance that holds money cannot be deleted.")
        }
        try await store.softDeleteBalance(id: id, at: clock.now())
    }

    /// The balance, found in this ledger (404 otherwise) and locked for the unit of work.
    private func lockedBalance(_ id: String, in ref: LedgerRef, store: any LedgerStore) async throws -> Balance {
        let found = try await balance(id, in: ref, store: store)
        guard let balance = try await store.lockBalances(ids: [found.id])[found.id] else { throw StrongroomError.notFound("The balance") }
        return balance
    }
}
