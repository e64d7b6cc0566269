import StrongroomKernel

/// What a posting does to one balance.
public enum MovementKind: String, Sendable, Equatable {
    /// Leaves `available` (a posted source), or leaves `onHold` (a committed source).
    case debit = "DEBIT"
    /// Enters `available`.
    case credit = "CREDIT"
    /// Moves from `available` to `onHold` (the source of a pending transaction).
    case onHold = "ON_HOLD"
    /// Moves from `onHold` back to `available` (a cancelled pending transaction).
    case release = "RELEASE"
}

/// One leg after resolution: a balance (by its id) and the exact amount it takes or gives.
public struct PostingLeg: Sendable, Equatable {
    public let balanceID: String
    public let amount: Amount

    public init(balanceID: String, amount: Amount) {
        self.balanceID = balanceID
        self.amount = amount
    }
}

/// One step of a transaction's life, in terms of the balances it moves.
public enum PostingStep: Sendable, Equatable {
    /// A new transaction: sources are debited (or, when pending, put on hold) and, unless
    /// pending, destinations credited.
    case post(sources: [PostingLeg], destinations: [PostingLeg], pending: Bool)
    /// A pending transaction settles: the sources' holds leave, the destinations receive.
    case commit(sources: [PostingLeg], destinations: [PostingLeg])
    /// A pending transaction is cancelled (or expires): the sources' holds return.
    case cancel(sources: [PostingLeg])
}

/// One balance movement with the state before and after: what an operation records.
public struct Movement: Sendable, Equatable {
    public let balanceID: String
    public let kind: MovementKind
    public let amount: Amount
    public let before: BalanceState
    public let after: BalanceState
}

/// Applies a posting step to the balances it touches, all or nothing.
///
/// `balances` holds the locked states; the step's movements are applied in order (sources,
/// then destinations) and written back only when every one of them is allowed, so a refused
/// step leaves the balances exactly as they were and the next step of a batch sees them
/// unchanged.
public enum PostingPlanner {
    public static func apply(_ step: PostingStep, to balances: inout [String: BalanceState]) throws(StrongroomError) -> [Movement] {
        // The step's changes, applied to `balances` only once every leg has moved: a refused
        // step leaves them as they were. Only the touched states are copied, so a batch of
        // many steps over many balances costs in proportion to its legs.
        var working: [String: BalanceState] = [:]
        var movements: [Movement] = []
        func move(_ leg: PostingLeg, _ transition: Transition) throws(StrongroomError) {
            guard let before = working[leg.balanceID] ?? balances[leg.balanceID] else {
                // The store resolves and locks every balance a step names before planning.
                throw StrongroomError(.internalError, "A posting leg names a balance that was not locked.")
            }
            guard leg.amount.scale == before.available.scale else {
                throw .ledger(.assetMismatch, "A leg's amount is not at its balance's scale.")
            }
            let after: BalanceState
            switch transition {
            case .debit: after = try before.debited(by: leg.amount)
            case .credit: after = try before.credited(by: leg.amount)
            case .hold: after = try before.held(leg.amount)
            case .settle: after = try before.settlingHold(leg.amount)
            case .release: after = try before.releasingHold(leg.amount)
            }
            working[leg.balanceID] = after
            movements.append(Movement(balanceID: leg.balanceID, kind: transition.kind, amount: leg.amount, before: before, after: after))
        }
        switch step {
        case .post(let sources, let destinations, let pending):
            try checkSidesDisjoint(sources, destinations)
            for leg in sources { try move(leg, pending ? .hold : .debit) }
            if !pending { for leg in destinations { try move(leg, .credit) } }
        case .commit(let sources, let destinations):
            for leg in sources { try move(leg, .settle) }
            for leg in destinations { try move(leg, .credit) }
        case .cancel(let sources):
            for leg in sources { try move(leg, .release) }
        }
        balances.merge(working) { _, changed in changed }
        return movements
    }

    private enum Transition {
        case debit, credit, hold, settle, release

        /// Settling a hold is recorded as a debit: the money leaves the account.
        var kind: MovementKind {
            switch self {
            case .debit, .settle: .debit
            case .credit: .credit
            case .hold: .onHold
            case .release: .release
            }
        }
    }

    private static func checkSidesDisjoint(_ sources: [PostingLeg], _ destinations: [PostingLeg]) throws(StrongroomError) {
        let sourceIDs = Set(sources.map(\.balanceID))
        guard destinations.allSatisfy({ !sourceIDs.contains($0.balanceID) }) else {
            throw .ledger(.sameAccountBothSides, "The same account cannot be on both sides of one transaction.")
        }
    }
}
