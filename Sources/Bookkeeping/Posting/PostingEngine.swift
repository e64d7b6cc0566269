import Controls
import LedgerCore
import StrongroomKernel

/// The one write path for money. Runs a batch of commands inside the caller's unit of work:
/// resolve every command, lock the transactions it names, then every balance it touches
/// once and in ascending id order, apply the commands in order in memory, and write the
/// result. A command a rule refuses fails alone and leaves the balances as they were; the
/// caller decides whether one failure fails the batch (a request is a batch of one, and its
/// failure rolls the unit of work back).
///
/// See "The posting path" in docs/ARCHITECTURE.md for why this is correct with several
/// processes on one PostgreSQL database.
public struct PostingEngine: Sendable {
    /// How far in the future `pendingExpiresAt` may be.
    public static let maxPendingLifetimeSeconds: Int64 = 366 * 86_400

    private let clock: any WallClock
    private let ids: IdentifierGenerator
    /// What the freezes, locks and blocks stop ("Controls: what may move").
    private let controls = EffectsTable.standard

    public init(clock: any WallClock) {
        self.clock = clock
        self.ids = IdentifierGenerator(clock: clock)
    }

    public typealias Outcome = Result<Transaction, StrongroomError>

    /// A command resolved against the ledger, ready to apply.
    private struct Prepared {
        enum Effect {
            /// A new transaction (a create, or a revert's inverse) with its parent to mark.
            case insert(Transaction, reverting: String?)
            /// A pending transaction moving to its final status.
            case settle(Transaction, to: TransactionStatus, description: String?)

            /// The existing transaction this effect moves through its lifecycle, if any.
            var steppedTransaction: String? {
                switch self {
                case .insert(_, let reverting): reverting
                case .settle(let transaction, _, _): transaction.id
                }
            }

            var isRevert: Bool {
                if case .insert(_, let reverting) = self { reverting != nil } else { false }
            }
        }

        let step: PostingStep
        let effect: Effect
        /// The column of the table of effects this command is.
        let operation: ControlledOperation
    }

    public func run(_ commands: [PostingCommand], store: any PostingStore) async throws -> [Outcome] {
        let now = clock.now()
        // First, so the controls read with the balances below are the ones that hold when
        // this unit of work commits.
        try await store.fenceControls(ledgerIDs: Set(commands.map(\.ledger.ledgerID)).sorted())
        let locked = try await lockTransactions(named: commands, store: store)
        let reads = PostingReads(store: store)
        try await reads.prefetch(commands)
        var outcomes: [Outcome?] = Array(repeating: nil, count: commands.count)
        var prepared: [Int: Prepared] = [:]
        for (index, command) in commands.enumerated() {
            do {
                prepared[index] = try await prepare(command, locked: locked, reads: reads, now: now)
            } catch let error as StrongroomError where error.kind != .internalFailure {
                outcomes[index] = .failure(error)
            }
        }

        let balanceIDs = Set(prepared.values.flatMap { $0.step.balanceIDs }).sorted()
        let lockedBalances = try await store.lockBalances(ids: balanceIDs)
        var states = lockedBalances.mapValues(\.state)

        var writes: [(Transaction, Prepared.Effect)] = []
        // Transactions a command of this batch already committed, cancelled or reverted:
        // each lifecycle step happens once, also when one batch names a transaction twice.
        var stepped: Set<String> = []
        for index in commands.indices {
            guard let command = prepared[index] else { continue }
            do {
                if let target = command.effect.steppedTransaction, stepped.contains(target) {
                    throw command.effect.isRevert
                        ? StrongroomError.ledger(.alreadyReverted, "The transaction was already reverted.")
                        : StrongroomError.ledger(.notPending, "The transaction is no longer PENDING.")
                }
                guard command.step.balanceIDs.allSatisfy({ lockedBalances[$0] != nil }) else {
                    throw StrongroomError.ledger(.unknownAccount, "An account of this transaction no longer has a balance.")
                }
                // The controls were read with the locked balances, in this unit of work, and
                // are asked before the balance rules: a frozen account is refused as frozen.
                if let refusal = controlRefusal(command, balances: lockedBalances) { throw refusal.error }
                let movements = try PostingPlanner.apply(command.step, to: &states)
                let result = try result(of: command, movements: movements, balances: lockedBalances, now: now)
                writes.append((result, command.effect))
                outcomes[index] = .success(result)
                if let target = command.effect.steppedTransaction { stepped.insert(target) }
            } catch let error as StrongroomError where error.kind != .internalFailure {
                outcomes[index] = .failure(error)
            }
        }

        var changed: [(balance: Balance, expectedVersion: Int64)] = []
        for id in balanceIDs {
            guard let before = lockedBalances[id], let after = states[id], after != before.state else { continue }
            var balance = before
            balance.state = after
            balance.updatedAt = now
            changed.append((balance, before.state.version))
        }
        if !changed.isEmpty { try await store.writeBalances(changed) }
        var inserted: [Transaction] = []
        var reverted: [(original: String, by: String)] = []
        var operations: [LedgerOperation] = []
        for (result, effect) in writes {
            switch effect {
            case .insert(let transaction, let reverting):
                inserted.append(transaction)
                operations += result.operations
                if let reverting { reverted.append((reverting, transaction.id)) }
            case .settle(let transaction, let status, let description):
                try await store.updateTransactionStatus(id: transaction.id, status: status, description: description, at: now)
                operations += result.operations.suffix(from: transaction.operations.count)
            }
        }
        // New transactions first: a revert link and every operation reference them.
        if !inserted.isEmpty { try await store.insertTransactions(inserted) }
        for link in reverted { try await store.setRevertedBy(id: link.original, revertedBy: link.by, at: now) }
        if !operations.isEmpty { try await store.insertOperations(operations) }
        return outcomes.map { $0! }
    }

    /// Locks every transaction a lifecycle command names, in ascending id order, before
    /// any balance: the global lock order that keeps concurrent batches free of cycles.
    private func lockTransactions(named commands: [PostingCommand], store: any PostingStore) async throws -> [String: Transaction] {
        var wanted: [String: LedgerRef] = [:]
        for command in commands {
            switch command {
            case .create: continue
            case .commit(let id, let ledger), .cancel(let id, let ledger, _), .revert(let id, let ledger): wanted[id] = ledger
            }
        }
        var locked: [String: Transaction] = [:]
        for id in wanted.keys.sorted() {
            if let transaction = try await store.lockTransaction(id: id, in: wanted[id]!) { locked[id] = transaction }
        }
        return locked
    }

    private func prepare(_ command: PostingCommand, locked: [String: Transaction], reads: PostingReads, now: Timestamp) async throws -> Prepared {
        switch command {
        case .create(let body, let form, let ledger):
            let draft = try await TransactionDraft.prepare(body, form: form, ledger: ledger, reads: reads, now: now, id: newID())
            return Prepared(step: draft.step, effect: .insert(draft.transaction, reverting: nil), operation: .post)
        case .commit(let id, _):
            let original = try pending(id, locked)
            if let expiry = original.pendingExpiresAt, expiry <= now {
                throw StrongroomError.ledger(.notPending, "The pending transaction has expired.")
            }
            return Prepared(
                step: .commit(sources: try original.postingLegs(.source), destinations: try original.postingLegs(.destination)),
                effect: .settle(original, to: .approved, description: nil), operation: .commit
            )
        case .cancel(let id, _, let reason):
            let original = try pending(id, locked)
            return Prepared(
                step: .cancel(sources: try original.postingLegs(.source)),
                effect: .settle(original, to: .canceled, description: reason == .expired ? "expired" : nil),
                operation: reason == .expired ? .expiry : .cancel
            )
        case .revert(let id, _):
            guard let original = locked[id] else { throw StrongroomError.notFound("The transaction") }
            guard original.revertedBy == nil else {
                throw StrongroomError.ledger(.alreadyReverted, "The transaction was already reverted.")
            }
            // Only revert sets a parent: posting the inverse of an inverse would re-post the
            // original under a second id, so a reversal is final.
            guard original.parentTransactionID == nil else {
                throw StrongroomError.ledger(.reversalNotRevertible, "A reversal cannot itself be reverted.")
            }
            switch original.status {
            case .approved: break
            case .pending:
                throw StrongroomError.ledger(.pendingNotRevertible, "A PENDING transaction cannot be reverted; cancel it instead.")
            case .canceled:
                throw StrongroomError.ledger(.canceledNotRevertible, "A CANCELED transaction cannot be reverted: it moved no money.")
            }
            let inverse = TransactionDraft.inverse(of: original, id: newID(), now: now)
            return Prepared(
                step: .post(sources: try inverse.postingLegs(.source), destinations: try inverse.postingLegs(.destination), pending: false),
                effect: .insert(inverse, reverting: original.id), operation: .revert
            )
        }
    }

    /// The first control that stops `command`, asked only when a control holds one of its
    /// accounts: most postings touch none, and pay one flag test per leg.
    private func controlRefusal(_ command: Prepared, balances: [String: Balance]) -> ControlRefusal? {
        let (sources, destinations) = command.step.sides
        func held(_ leg: PostingLeg) -> Bool { balances[leg.balanceID]?.controls != .free }
        guard sources.contains(where: held) || destinations.contains(where: held) else { return nil }
        func accounts(_ legs: [PostingLeg], _ side: LegSide) -> [ControlledAccount] {
            legs.compactMap { leg in
                balances[leg.balanceID].map { ControlledAccount(alias: $0.alias, side: side, state: $0.controls) }
            }
        }
        return controls.firstRefusal(of: command.operation, touching: accounts(sources, .source) + accounts(destinations, .destination))
    }

    /// The locked transaction a commit or cancel names, which must still be pending.
    private func pending(_ id: String, _ locked: [String: Transaction]) throws -> Transaction {
        guard let original = locked[id] else { throw StrongroomError.notFound("The transaction") }
        guard original.status == .pending else {
            throw StrongroomError.ledger(.notPending, "The transaction is \(original.status.rawValue), not PENDING.")
        }
        return original
    }

    /// The transaction as it reads after the command: its operations, each movement with
    /// the balance before and after.
    private func result(of command: Prepared, movements: [Movement], balances: [String: Balance], now: Timestamp) throws -> Transaction {
        let transaction = switch command.effect {
        case .insert(let transaction, _), .settle(let transaction, _, _): transaction
        }
        // Legs in movement order: a step moves its sources' legs, then its destinations'.
        let legsInOrder: [TransactionLeg] = switch command.step {
        case .post(_, _, let pending): pending ? transaction.legs(.source) : transaction.legs(.source) + transaction.legs(.destination)
        case .commit: transaction.legs(.source) + transaction.legs(.destination)
        case .cancel: transaction.legs(.source)
        }
        guard legsInOrder.count == movements.count else {
            throw StrongroomError(.internalError, "A posting's movements do not match its legs.")
        }
        var result = transaction
        for (leg, movement) in zip(legsInOrder, movements) {
            guard let balance = balances[movement.balanceID] else {
                throw StrongroomError(.internalError, "A movement names a balance that was not locked.")
            }
            result.operations.append(LedgerOperation(
                id: newID(), transactionID: transaction.id, organizationID: transaction.organizationID, ledgerID: transaction.ledgerID,
                accountID: balance.accountID, accountAlias: balance.alias, balanceID: balance.id, assetCode: transaction.assetCode,
                type: movement.kind, description: leg.description, chartOfAccounts: leg.chartOfAccounts, amount: movement.amount,
                before: BalanceSnapshot(movement.before), after: BalanceSnapshot(movement.after),
                status: movement.kind == .onHold ? .pending : (movement.kind == .release ? .canceled : .approved),
                metadata: leg.metadata ?? Metadata(), createdAt: now, updatedAt: now
            ))
        }
        if case .settle(_, let status, let description) = command.effect {
            result.status = status
            result.statusDescription = description
            result.updatedAt = now
        }
        return result
    }

    private func newID() -> String { ids.nextText() }
}

extension PostingStep {
    /// The legs on each side of the transaction the step moves. A cancel (or expiry) moves
    /// only the sources' holds, but its transaction's destinations are not asked about:
    /// no control stops a cancel.
    var sides: (sources: [PostingLeg], destinations: [PostingLeg]) {
        switch self {
        case .post(let sources, let destinations, _), .commit(let sources, let destinations): (sources, destinations)
        case .cancel(let sources): (sources, [])
        }
    }

    var balanceIDs: [String] {
        switch self {
        case .post(let sources, let destinations, _), .commit(let sources, let destinations):
            (sources + destinations).map(\.balanceID)
        case .cancel(let sources):
            sources.map(\.balanceID)
        }
    }
}
