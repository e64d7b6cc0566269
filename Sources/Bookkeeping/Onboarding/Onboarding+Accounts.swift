import Foundation
import LedgerCore
import StrongroomKernel

extension Onboarding {
    /// Creates the account and its default balance.
    public func createAccount(_ input: NewAccount, in ref: LedgerRef, store: any LedgerStore) async throws -> Account {
        try input.validate()
        _ = try await ledger(ref, store: store)
        guard let asset = try await store.asset(code: input.assetCode, in: ref) else {
            throw StrongroomError.ledger(.unknownAsset, "The asset '\(input.assetCode)' does not exist in this ledger.", field: "assetCode")
        }
        let scope = EntityScope.ledger(ref)
        if let id = input.portfolioID { try await requireReference(Portfolio.self, id, in: scope, field: "portfolioId", store) }
        if let id = input.segmentID { try await requireReference(Segment.self, id, in: scope, field: "segmentId", store) }
        if let id = input.parentAccountID {
            let parent = try await requireReference(Account.self, id, in: scope, field: "parentAccountId", store)
            guard parent.assetCode == asset.code else {
                throw StrongroomError.ledger(.assetMismatch, "The parent account holds another asset.", field: "parentAccountId")
            }
        }
        let id = newID()
        let alias = input.alias ?? id
        if try await store.account(alias: alias, in: ref) != nil { throw StrongroomError.aliasTaken(alias) }
        let now = clock.now()
        let account = Account(
            id: id, organizationID: ref.organizationID, ledgerID: ref.ledgerID, assetCode: asset.code, name: input.name, alias: alias,
            type: input.type, parentAccountID: input.parentAccountID?.lowercased(), entityID: input.entityID,
            portfolioID: input.portfolioID?.lowercased(), segmentID: input.segmentID?.lowercased(), blocked: input.blocked ?? false,
            status: input.status ?? .active, metadata: input.metadata ?? Metadata(), createdAt: now, updatedAt: now
        )
        try await store.insert(account)
        try await store.insertBalance(openBalance(for: account, scale: asset.scale, now: now))
        return account
    }

    public func updateAccount(_ id: String, in ref: LedgerRef, _ changes: AccountChanges, store: any LedgerStore) async throws -> Account {
        try changes.validate()
        var account = try await entity(Account.self, id: id, in: ref, store: store)
        guard !account.isExternal else { throw StrongroomError.externalAccount() }
        let scope = EntityScope.ledger(ref)
        if let value = changes.portfolioID {
            try await requireReference(Portfolio.self, value, in: scope, field: "portfolioId", store)
            account.portfolioID = value.lowercased()
        }
        if let value = changes.segmentID {
            try await requireReference(Segment.self, value, in: scope, field: "segmentId", store)
            account.segmentID = value.lowercased()
        }
        if let value = changes.name { account.name = value }
        if let value = changes.entityID { account.entityID = value }
        if let value = changes.blocked { account.blocked = value }
        return try await save(account, changes, store: store)
    }

    public func deleteAccount(_ id: String, in ref: LedgerRef, store: any LedgerStore) async throws {
        let account = try await entity(Account.self, id: id, in: ref, store: store)
        guard !account.isExternal else { throw StrongroomError.externalAccount() }
        let balances = try await store.lockBalances(ids: try await store.balances(ofAccount: id).map(\.id))
        guard !balances.values.contains(where: \.state.holdsMoney) else {
            throw StrongroomError.nonZeroBalance("An account whose balance holds money cannot be deleted.")
        }
        if try await store.hasLiveChildren(.account, linkedBy: .parentAccount, to: id) {
            throw StrongroomError.stillInUse("The account still has child accounts.")
        }
        let now = clock.now()
        for balanceID in balances.keys.sorted() { try await store.softDeleteBalance(id: balanceID, at: now) }
        try await store.softDelete(Account.self, id: id, at: now)
    }
}
