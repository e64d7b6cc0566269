import Bookkeeping
import Controls
import LedgerCore
import StrongroomKernel
import Synchronization

/// A `PostingStore` held in memory, so the posting engine's rules and lifecycle can be tested
/// with no database. It honours what the SQL stores honour and the engine relies on (see
/// `PostingStore`): live rows only, a balance read with its account's `blocked` flag, a
/// balance written only at the version it was read at, a status that leaves PENDING once, a
/// reversal linked once, and unique ids. Its locks are trivial: each call is atomic under one
/// mutex, and the tests run one unit of work at a time.
///
/// `write(_:)` is its unit of work: the books as they were come back if the body throws, as a
/// rolled-back database transaction leaves them.
public final class InMemoryPostingStore: PostingStore, Sendable {
    /// What the store holds. A value, so a unit of work can keep the state it started from.
    struct Books {
        var ledgers: [String: Ledger] = [:]
        var portfolios: [String: Portfolio] = [:]
        var assets: [String: Asset] = [:]
        var accounts: [String: Account] = [:]
        var balances: [String: Balance] = [:]
        /// Transactions as their rows hold them: operations live in `operations`.
        var transactions: [String: Transaction] = [:]
        var operations: [String: LedgerOperation] = [:]
    }

    private let books = Mutex(Books())

    public init() {}

    // MARK: Seeding and reading back (not part of PostingStore)

    /// Adds a ledger, as onboarding would have created it.
    public func add(_ ledger: Ledger) {
        books.withLock { $0.ledgers[ledger.id] = ledger }
    }

    public func add(_ portfolio: Portfolio) {
        books.withLock { $0.portfolios[portfolio.id] = portfolio }
    }

    /// Sets or lifts a freeze or lock, as `LedgerStore.setControl` does; throws when no such
    /// entity is held.
    public func setControl(_ subject: ControlSubject, id: String, in scope: EntityScope, to record: ControlRecord?) async throws {
        try books.withLock { books in
            switch subject {
            case .account:
                guard var account = books.accounts[id], scope.holds(organizationID: account.organizationID, ledgerID: account.ledgerID) else {
                    throw InMemoryStoreError("no account \(id)")
                }
                account.freeze = record
                books.accounts[id] = account
            case .portfolio:
                guard var portfolio = books.portfolios[id],
                    scope.holds(organizationID: portfolio.organizationID, ledgerID: portfolio.ledgerID)
                else { throw InMemoryStoreError("no portfolio \(id)") }
                portfolio.lock = record
                books.portfolios[id] = portfolio
            case .ledger:
                guard var ledger = books.ledgers[id], scope.holds(organizationID: ledger.organizationID, ledgerID: nil) else {
                    throw InMemoryStoreError("no ledger \(id)")
                }
                ledger.freeze = record
                books.ledgers[id] = ledger
            }
        }
    }

    public func add(_ asset: Asset) {
        books.withLock { $0.assets[asset.id] = asset }
    }

    /// Adds an account with its balance.
    public func add(_ account: Account, balance: Balance) {
        books.withLock {
            $0.accounts[account.id] = account
            $0.balances[balance.id] = balance
        }
    }

    /// A balance as stored, its account's `blocked` flag and the controls folded in.
    public func balance(id: String, in ledger: LedgerRef) async throws -> Balance? {
        books.withLock { books in
            books.balances[id].flatMap { $0.ledgerID == ledger.ledgerID && $0.organizationID == ledger.organizationID ? books.folded($0) : nil }
        }
    }

    /// A transaction with its operations, as `LedgerStore.transaction(id:in:)` answers it.
    public func transaction(id: String, in ledger: LedgerRef) async throws -> Transaction? {
        books.withLock { $0.transaction(id: id, in: ledger) }
    }

    /// Runs `body` as one unit of work: if it throws, the books are as they were before it.
    public func write<T: Sendable>(_ body: (InMemoryPostingStore) async throws -> T) async throws -> T {
        let before = books.withLock { $0 }
        do {
            return try await body(self)
        } catch {
            books.withLock { $0 = before }
            throw error
        }
    }

    // MARK: PostingStore

    public func find<E: LedgerRecord>(_ type: E.Type, id: String, in scope: EntityScope) async throws -> E? {
        books.withLock { books in
            switch E.kind {
            case .ledger:
                books.ledgers[id].flatMap { scope.holds(organizationID: $0.organizationID, ledgerID: nil) ? $0 as? E : nil }
            case .asset:
                books.assets[id].flatMap { scope.holds(organizationID: $0.organizationID, ledgerID: $0.ledgerID) ? $0 as? E : nil }
            case .account:
                books.accounts[id].flatMap { scope.holds(organizationID: $0.organizationID, ledgerID: $0.ledgerID) ? $0 as? E : nil }
            case .portfolio:
                books.portfolios[id].flatMap { scope.holds(organizationID: $0.organizationID, ledgerID: $0.ledgerID) ? $0 as? E : nil }
            case .organization, .segment:
                // The posting path never asks for these; the store does not hold them.
                nil
            }
        }
    }

    public func asset(code: String, in ledger: LedgerRef) async throws -> Asset? {
        books.withLock { books in
            books.assets.values.first { $0.code == code && $0.ledgerID == ledger.ledgerID && $0.organizationID == ledger.organizationID }
        }
    }

    public func balance(alias: String, in ledger: LedgerRef) async throws -> Balance? {
        books.withLock { $0.balances(aliases: [alias], in: ledger).first }
    }

    public func balances(aliases: [String], in ledger: LedgerRef) async throws -> [Balance] {
        books.withLock { $0.balances(aliases: Set(aliases), in: ledger) }
    }

    public func lockBalances(ids: [String]) async throws -> [String: Balance] {
        books.withLock { books in
            var locked: [String: Balance] = [:]
            for id in Set(ids) {
                if let balance = books.balances[id] { locked[id] = books.folded(balance) }
            }
            return locked
        }
    }

    public func writeBalances(_ writes: [(balance: Balance, expectedVersion: Int64)]) async throws {
        try books.withLock { books in
            // All or none, as the SQL store's failed statement leaves its unit of work to roll back.
            for write in writes {
                guard let stored = books.balances[write.balance.id], stored.state.version == write.expectedVersion else {
                    throw InMemoryStoreError("balance \(write.balance.id) was not at the version read under its lock")
                }
            }
            for write in writes {
                guard var stored = books.balances[write.balance.id] else { continue }
                // Money and version only; the settings and the account's flag are not the writer's.
                stored.state.available = write.balance.state.available
                stored.state.onHold = write.balance.state.onHold
                stored.state.version = write.balance.state.version
                stored.updatedAt = write.balance.updatedAt
                books.balances[stored.id] = stored
            }
        }
    }

    public func insertTransactions(_ transactions: [Transaction]) async throws {
        try books.withLock { books in
            let ids = transactions.map(\.id)
            guard Set(ids).count == ids.count, ids.allSatisfy({ books.transactions[$0] == nil }) else {
                throw InMemoryStoreError("a transaction id is taken")
            }
            for var transaction in transactions {
                transaction.operations = []
                books.transactions[transaction.id] = transaction
            }
        }
    }

    public func insertOperations(_ operations: [LedgerOperation]) async throws {
        try books.withLock { books in
            let ids = operations.map(\.id)
            guard Set(ids).count == ids.count, ids.allSatisfy({ books.operations[$0] == nil }) else {
                throw InMemoryStoreError("an operation id is taken")
            }
            guard operations.allSatisfy({ books.transactions[$0.transactionID] != nil }) else {
                throw InMemoryStoreError("an operation names a transaction that is not stored")
            }
            for operation in operations { books.operations[operation.id] = operation }
        }
    }

    /// Units of work here run one at a time: nothing to order.
    public func fenceControls(ledgerIDs: [String]) async throws {}

    public func lockTransaction(id: String, in ledger: LedgerRef) async throws -> Transaction? {
        books.withLock { $0.transaction(id: id, in: ledger) }
    }

    public func updateTransactionStatus(id: String, status: TransactionStatus, description: String?, at time: Timestamp) async throws {
        try books.withLock { books in
            guard var transaction = books.transactions[id], transaction.status == .pending else {
                throw InMemoryStoreError("transaction \(id) was not pending under its lock")
            }
            transaction.status = status
            transaction.statusDescription = description
            transaction.updatedAt = time
            books.transactions[id] = transaction
        }
    }

    public func setRevertedBy(id: String, revertedBy: String, at time: Timestamp) async throws {
        try books.withLock { books in
            guard var transaction = books.transactions[id], transaction.revertedBy == nil else {
                throw InMemoryStoreError("transaction \(id) was reverted under its lock")
            }
            transaction.revertedBy = revertedBy
            transaction.updatedAt = time
            books.transactions[id] = transaction
        }
    }
}

extension InMemoryPostingStore.Books {
    /// The balance with its account's `blocked` flag and the controls that hold it (its
    /// account's freeze, its portfolio's lock, its ledger's freeze), as the SQL stores read
    /// them joined.
    func folded(_ balance: Balance) -> Balance {
        var balance = balance
        let account = accounts[balance.accountID]
        balance.state.accountBlocked = account?.blocked ?? false
        balance.controls = ControlState(
            blocked: account?.blocked ?? false, accountFrozen: account?.freeze != nil,
            portfolioLocked: account?.portfolioID.flatMap { portfolios[$0]?.lock } != nil,
            ledgerFrozen: ledgers[balance.ledgerID]?.freeze != nil
        )
        return balance
    }

    func balances(aliases: Set<String>, in ledger: LedgerRef) -> [Balance] {
        balances.values
            .filter { aliases.contains($0.alias) && $0.ledgerID == ledger.ledgerID && $0.organizationID == ledger.organizationID }
            .filter { accounts[$0.accountID] != nil }
            .map(folded)
    }

    func transaction(id: String, in ledger: LedgerRef) -> Transaction? {
        guard var transaction = transactions[id], transaction.ledgerID == ledger.ledgerID,
            transaction.organizationID == ledger.organizationID
        else { return nil }
        transaction.operations = operations.values.filter { $0.transactionID == id }.sorted { $0.id < $1.id }
        return transaction
    }
}

extension EntityScope {
    /// Whether an entity of this organization and ledger (nil: not in a ledger) is in scope.
    func holds(organizationID: String, ledgerID: String?) -> Bool {
        if let scoped = self.organizationID, scoped != organizationID { return false }
        if let scoped = self.ledgerID, scoped != ledgerID { return false }
        return true
    }
}
