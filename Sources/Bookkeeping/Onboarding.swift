import Foundation
import LedgerCore
import StrongroomKernel

/// Creates, changes and deletes the ledger's entities under their rules: parents must
/// exist, aliases and asset codes are unique among live rows, an asset brings its
/// `@external` account, an account brings its balance, nothing holding money is deleted,
/// and deletes are soft.
public struct Onboarding: Sendable {
    private let clock: any WallClock
    private let ids: IdentifierGenerator

    public init(clock: any WallClock) {
        self.clock = clock
        self.ids = IdentifierGenerator(clock: clock)
    }

    private func newID() -> String { ids.nextText() }

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

    // MARK: Organizations

    public func createOrganization(_ input: NewOrganization, store: any LedgerStore) async throws -> Organization {
        try input.validate()
        if let parent = input.parentOrganizationID { try await requireReference(Organization.self, parent, in: .root, field: "parentOrganizationId", store) }
        let now = clock.now()
        let organization = Organization(
            id: newID(), parentOrganizationID: input.parentOrganizationID.map { $0.lowercased() }, legalName: input.legalName,
            doingBusinessAs: input.doingBusinessAs, legalDocument: input.legalDocument, address: input.address,
            status: input.status ?? .active, metadata: input.metadata ?? Metadata(), createdAt: now, updatedAt: now
        )
        try await store.insert(organization)
        return organization
    }

    public func updateOrganization(_ id: String, _ changes: OrganizationChanges, store: any LedgerStore) async throws -> Organization {
        try changes.validate()
        var organization = try await organization(id, store: store)
        if let parent = changes.parentOrganizationID {
            guard parent.lowercased() != id else { throw StrongroomError.invalidValue("parentOrganizationId", "must not be the organization itself") }
            try await requireReference(Organization.self, parent, in: .root, field: "parentOrganizationId", store)
            organization.parentOrganizationID = parent.lowercased()
        }
        if let value = changes.legalName { organization.legalName = value }
        if let value = changes.doingBusinessAs { organization.doingBusinessAs = value }
        if let value = changes.address { organization.address = value }
        if let value = changes.status { organization.status = value }
        if let value = changes.metadata { organization.metadata = value }
        organization.updatedAt = clock.now()
        try await store.update(organization)
        return organization
    }

    public func deleteOrganization(_ id: String, store: any LedgerStore) async throws {
        _ = try await organization(id, store: store)
        if try await store.hasLiveChildren(.ledger, linkedBy: .organization, to: id) {
            throw StrongroomError.stillInUse("The organization still has ledgers.")
        }
        if try await store.hasLiveChildren(.organization, linkedBy: .parentOrganization, to: id) {
            throw StrongroomError.stillInUse("The organization still has child organizations.")
        }
        try await store.softDelete(Organization.self, id: id, at: clock.now())
    }

    // MARK: Ledgers

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

    // MARK: Assets

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

    // MARK: Portfolios and segments

    public func createPortfolio(_ input: PortfolioInput, in ref: LedgerRef, store: any LedgerStore) async throws -> Portfolio {
        try input.validate(creating: true)
        _ = try await ledger(ref, store: store)
        let now = clock.now()
        let portfolio = Portfolio(
            id: newID(), organizationID: ref.organizationID, ledgerID: ref.ledgerID, name: input.name ?? "", entityID: input.entityID,
            status: input.status ?? .active, metadata: input.metadata ?? Metadata(), createdAt: now, updatedAt: now
        )
        try await store.insert(portfolio)
        return portfolio
    }

    public func updatePortfolio(_ id: String, in ref: LedgerRef, _ changes: PortfolioInput, store: any LedgerStore) async throws -> Portfolio {
        try changes.validate(creating: false)
        var portfolio = try await entity(Portfolio.self, id: id, in: ref, store: store)
        if let value = changes.name { portfolio.name = value }
        if let value = changes.entityID { portfolio.entityID = value }
        if let value = changes.status { portfolio.status = value }
        if let value = changes.metadata { portfolio.metadata = value }
        portfolio.updatedAt = clock.now()
        try await store.update(portfolio)
        return portfolio
    }

    public func createSegment(_ input: NewNamedEntity, in ref: LedgerRef, store: any LedgerStore) async throws -> Segment {
        try input.validate()
        _ = try await ledger(ref, store: store)
        let now = clock.now()
        let segment = Segment(
            id: newID(), organizationID: ref.organizationID, ledgerID: ref.ledgerID, name: input.name, status: input.status ?? .active,
            metadata: input.metadata ?? Metadata(), createdAt: now, updatedAt: now
        )
        try await store.insert(segment)
        return segment
    }

    public func updateSegment(_ id: String, in ref: LedgerRef, _ changes: NamedEntityChanges, store: any LedgerStore) async throws -> Segment {
        try await rename(try await entity(Segment.self, id: id, in: ref, store: store), changes, store: store)
    }

    /// Applies a name / status / metadata change to a ledger, an asset or a segment.
    private func rename<E: NamedRecord>(_ entity: E, _ changes: NamedEntityChanges, store: any LedgerStore) async throws -> E {
        try changes.validate()
        var entity = entity
        if let value = changes.name { entity.name = value }
        if let value = changes.status { entity.status = value }
        if let value = changes.metadata { entity.metadata = value }
        entity.updatedAt = clock.now()
        try await store.update(entity)
        return entity
    }

    /// Deletes a portfolio or a segment no live account names.
    public func deleteGrouping<E: LedgerRecord>(_ type: E.Type, id: String, in ref: LedgerRef, store: any LedgerStore) async throws {
        _ = try await entity(type, id: id, in: ref, store: store)
        let link: ChildLink = E.kind == .portfolio ? .portfolio : .segment
        if try await store.hasLiveChildren(.account, linkedBy: link, to: id) {
            throw StrongroomError.stillInUse("The \(E.kind.rawValue) still has accounts.")
        }
        try await store.softDelete(type, id: id, at: clock.now())
    }

    // MARK: Accounts

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
        if let value = changes.status { account.status = value }
        if let value = changes.metadata { account.metadata = value }
        account.updatedAt = clock.now()
        try await store.update(account)
        return account
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

    // MARK: Balances

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

    // MARK: Transactions and operations: annotations only

    public func annotateTransaction(_ id: String, in ref: LedgerRef, _ changes: AnnotationChanges, store: any LedgerStore) async throws -> Transaction {
        try changes.validate()
        guard var transaction = try await store.transaction(id: id, in: ref) else { throw StrongroomError.notFound("The transaction") }
        if let value = changes.description { transaction.description = value }
        if let value = changes.metadata { transaction.metadata = value }
        transaction.updatedAt = clock.now()
        try await store.updateTransactionAnnotations(transaction)
        return transaction
    }

    public func annotateOperation(
        _ id: String, transactionID: String, in ref: LedgerRef, _ changes: AnnotationChanges, store: any LedgerStore
    ) async throws -> LedgerOperation {
        try changes.validate()
        guard var operation = try await store.operation(id: id, in: ref), operation.transactionID == transactionID else {
            throw StrongroomError.notFound("The operation")
        }
        if let value = changes.description { operation.description = value }
        if let value = changes.metadata { operation.metadata = value }
        operation.updatedAt = clock.now()
        try await store.updateOperationAnnotations(operation)
        return operation
    }

    // MARK: Helpers

    @discardableResult
    private func requireReference<E: LedgerRecord>(
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

    private func openBalance(for account: Account, scale: Int, now: Timestamp) -> Balance {
        var state = BalanceState.opened(scale: scale, isExternal: account.isExternal)
        state.accountBlocked = account.blocked
        return Balance(
            id: newID(), organizationID: account.organizationID, ledgerID: account.ledgerID, accountID: account.id, alias: account.alias,
            assetCode: account.assetCode, accountType: account.type, state: state, createdAt: now, updatedAt: now
        )
    }
}

extension StrongroomError {
    static func stillInUse(_ detail: String) -> StrongroomError { StrongroomError(.stillInUse, detail) }

    static func nonZeroBalance(_ detail: String) -> StrongroomError { StrongroomError(.nonZeroBalance, detail) }

    static func externalAccount() -> StrongroomError {
        StrongroomError(.externalAccount, "External accounts and their balances are kept by the ledger and cannot be changed or deleted.")
    }

    public static func aliasTaken(_ alias: String) -> StrongroomError {
        StrongroomError(.aliasTaken, "The alias '\(alias)' is taken in this ledger.", fields: [.init(field: "alias", message: "is taken")])
    }

    public static func assetCodeTaken(_ code: String) -> StrongroomError {
        StrongroomError(.assetCodeTaken, "The asset code '\(code)' is taken in this ledger.", fields: [.init(field: "code", message: "is taken")])
    }
}
