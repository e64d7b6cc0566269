import Bookkeeping
import Controls
import StrongroomKernel

/// A store the shared posting suite (`PostingEngineSuite`) runs against: the in-memory one
/// here, and SQLite and PostgreSQL in `StorageTests`. Each answers the same few questions, so
/// the suite is written once and every backend must give the same answers.
public protocol PostingSuiteBackend: Sendable {
    /// Writes the books a case starts from, as onboarding would have written them.
    func seed(_ books: PostingBooks) async throws
    /// Runs one batch as the server does: the engine against the backend's `PostingStore`,
    /// inside one unit of work that commits unless the run throws.
    func run(_ commands: [PostingCommand], engine: PostingEngine) async throws -> [PostingEngine.Outcome]
    /// A balance as stored, by id.
    func balance(id: String, in ledger: LedgerRef) async throws -> Balance?
    /// A transaction as stored, with its operations.
    func transaction(id: String, in ledger: LedgerRef) async throws -> Transaction?
    /// Sets (`record`) or lifts (nil) a freeze or lock in a unit of work of its own, as the
    /// control routes do; throws if the entity is not found.
    func setControl(_ subject: ControlSubject, id: String, in scope: EntityScope, to record: ControlRecord?) async throws
}

extension InMemoryPostingStore: PostingSuiteBackend {
    public func seed(_ books: PostingBooks) async throws {
        add(books.ledger)
        add(books.portfolio)
        for asset in books.assets { add(asset) }
        for (account, balance) in zip(books.accounts, books.balances) { add(account, balance: balance) }
    }

    public func run(_ commands: [PostingCommand], engine: PostingEngine) async throws -> [PostingEngine.Outcome] {
        try await write { store in try await engine.run(commands, store: store) }
    }
}
