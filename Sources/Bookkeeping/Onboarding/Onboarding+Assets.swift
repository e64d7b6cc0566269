import Foundation
import LedgerCore
import StrongroomKernel

extension Onboarding {
    /// Creates the asset and its `@external/<CODE>` account with that account's balance.
    public func createAsset(_ input: NewAsset, in ref: LedgerRef, store: any LedgerStore) async throws -> Asset {
        let (kind, scale) = try input.validated()
        _ = try await ledger(ref, store: store)
        if try await store.asset(code: input.code, in: ref) != nil { throw StrongroomError.assetCodeTaken(input.code) }
        let now = clock.now()
        let asset = Asset(
            id: newID(), organizationID: ref.organizationID, ledgerID: ref.ledgerID, name: input.name, type: kind, code: input.code,
            scale: scale, status: input.status ?? .active, metadata: input.metadata ?? Metadata(), createdAt: now, updatedAt: now
        )
        try await store.insert(asset)
        let external = Account(
            id: newID(), organizationID: ref.organizationID, ledgerID: ref.ledgerID, assetCode: asset.code, name: "External \(asset.code)",
            alias: Asset.externalAlias(code: asset.code), type: Account.externalType, parentAccountID: nil, entityID: nil,
            portfolioID: nil, segmentID: nil, blocked: false, status: .active, metadata: Metadata(), createdAt: now, updatedAt: now
        )
        try await store.insert(external)
        try await store.insertBalance(openBalance(for: external, scale: scale, now: now))
        return asset
    }

    public func updateAsset(_ id: String, in ref: LedgerRef, _ changes: NamedEntityChanges, store: any LedgerStore) async throws -> Asset {
        try await rename(try await entity(Asset.self, id: id, in: ref, store: store), changes, store: store)
    }

    /// Deletes an asset nobody uses any more, with its external account and balance.
    public func deleteAsset(_ id: String, in ref: LedgerRef, store: any LedgerStore) async throws {
        let asset = try await entity(Asset.self, id: id, in: ref, store: store)
        if try await store.hasNonZeroBalances(assetCode: asset.code, in: ref) {
            throw StrongroomError.nonZeroBalance("An asset whose balances hold money cannot be deleted.")
        }
        if try await store.hasLiveAccounts(assetCode: asset.code, in: ref) {
            throw StrongroomError.stillInUse("The asset still has accounts.")
        }
        let now = clock.now()
        if let external = try await store.account(alias: Asset.externalAlias(code: asset.code), in: ref) {
            for balance in try await store.balances(ofAccount: external.id) { try await store.softDeleteBalance(id: balance.id, at: now) }
            try await store.softDelete(Account.self, id: external.id, at: now)
        }
        try await store.softDelete(Asset.self, id: id, at: now)
    }
}
