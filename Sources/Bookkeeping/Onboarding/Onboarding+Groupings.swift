import Foundation
import LedgerCore
import StrongroomKernel

extension Onboarding {
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
        if let value = changes.entityID { portfolio.entityID = value }
        return try await save(portfolio, renamedBy: changes, store: store)
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

    /// Deletes a portfolio or a segment no live account names.
    public func deleteGrouping<E: LedgerRecord>(_ type: E.Type, id: String, in ref: LedgerRef, store: any LedgerStore) async throws {
        _ = try await entity(type, id: id, in: ref, store: store)
        let link: ChildLink = E.kind == .portfolio ? .portfolio : .segment
        if try await store.hasLiveChildren(.account, linkedBy: link, to: id) {
            throw StrongroomError.stillInUse("The \(E.kind.rawValue) still has accounts.")
        }
        try await store.softDelete(type, id: id, at: clock.now())
    }
}
