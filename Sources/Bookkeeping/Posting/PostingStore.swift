import LedgerCore
import StrongroomKernel

/// The persistence the posting engine needs, and nothing more: the reads that resolve a
/// command, the locks that order concurrent batches, and the writes of one batch's result.
/// `LedgerStore` refines it, so the SQL stores serve the engine unchanged; a store held in
/// memory can serve it too, which is what lets the engine's rules and lifecycle be tested
/// with no database (`BookkeepingTests`).
///
/// What the engine relies on, and every conformer must honour:
/// - reads answer live rows only, each balance with its account's `blocked` flag folded in
///   and its `controls` read with it (the account's freeze, its portfolio's lock, its
///   ledger's freeze), never from a cache;
/// - a lock holds until the caller's unit of work ends, so what was read under it stays true;
/// - `writeBalances` refuses a balance whose stored version is not the one it was read at;
/// - a transaction's status leaves PENDING once, and `revertedBy` is set once;
/// - ids are unique: inserting a transaction or operation twice fails.
public protocol PostingStore: Sendable {
    /// Orders this unit of work against freezes, locks and their lifting in these ledgers:
    /// waits for one being made in another unit of work to commit, and keeps one from
    /// committing until this unit of work ends. So every posting that commits after a freeze
    /// has read that freeze, in every process (ARCHITECTURE.md, "Controls: what may move").
    /// Called first, before any read. Where units of work never overlap (SQLite's one
    /// writer, a store in memory) there is nothing to order.
    func fenceControls(ledgerIDs: [String]) async throws

    /// An entity by id in a scope; the engine asks for the ledger a create names.
    func find<E: LedgerRecord>(_ type: E.Type, id: String, in scope: EntityScope) async throws -> E?
    func asset(code: String, in ledger: LedgerRef) async throws -> Asset?

    /// The live balance of the live account with this alias: what a posting leg names.
    func balance(alias: String, in ledger: LedgerRef) async throws -> Balance?
    /// The live balances of live accounts with these aliases in the ledger (any order; an
    /// alias with none is absent).
    func balances(aliases: [String], in ledger: LedgerRef) async throws -> [Balance]
    /// Locks the balances for a posting, in ascending id order, and answers them with their
    /// account's `blocked` flag folded into their state and their `controls` as they stand in
    /// this unit of work. Missing or deleted ones are absent.
    func lockBalances(ids: [String]) async throws -> [String: Balance]
    /// Writes balances' money and versions, in as few statements as the backends' bind
    /// limits allow; throws unless every stored version is the one given with its balance.
    func writeBalances(_ writes: [(balance: Balance, expectedVersion: Int64)]) async throws

    func insertTransactions(_ transactions: [Transaction]) async throws
    func insertOperations(_ operations: [LedgerOperation]) async throws
    /// The transaction with its operations (in id order), its row locked until the unit of
    /// work ends (PostgreSQL `FOR UPDATE`), read after any concurrent change has committed.
    func lockTransaction(id: String, in ledger: LedgerRef) async throws -> Transaction?
    /// Moves a PENDING transaction to its final status; throws if it is not PENDING.
    func updateTransactionStatus(id: String, status: TransactionStatus, description: String?, at time: Timestamp) async throws
    /// Links a transaction to its reversal; throws if it already has one.
    func setRevertedBy(id: String, revertedBy: String, at time: Timestamp) async throws
}
