import StrongroomKernel

/// One account's balance in one asset, with the settings that decide what may move it.
/// Every change is a pure function answering the next state (version + 1) or the rule it
/// breaks; the store writes the answer back only if nobody changed the row meanwhile.
public struct BalanceState: Sendable, Equatable {
    public var available: Amount
    public var onHold: Amount
    public var version: Int64
    public var allowSending: Bool
    public var allowReceiving: Bool
    public var allowOverdraft: Bool
    /// How far below zero `available` may go when overdraft is allowed; never negative.
    public var overdraftLimit: Amount
    /// `@external/<ASSET>` accounts stand for the world outside the ledger: money entering
    /// makes them negative, without limit.
    public var isExternal: Bool
    /// A blocked account neither sends nor receives.
    public var accountBlocked: Bool

    public init(
        available: Amount, onHold: Amount, version: Int64, allowSending: Bool = true, allowReceiving: Bool = true,
        allowOverdraft: Bool = false, overdraftLimit: Amount? = nil, isExternal: Bool = false, accountBlocked: Bool = false
    ) {
        self.available = available
        self.onHold = onHold
        self.version = version
        self.allowSending = allowSending
        self.allowReceiving = allowReceiving
        self.allowOverdraft = allowOverdraft
        self.overdraftLimit = overdraftLimit ?? .zero(scale: available.scale)
        self.isExternal = isExternal
        self.accountBlocked = accountBlocked
    }

    /// Whether any money is in the balance, available or on hold.
    public var holdsMoney: Bool { available.minorUnits != 0 || onHold.minorUnits != 0 }

    /// A new, empty balance.
    public static func opened(scale: Int, isExternal: Bool = false) -> BalanceState {
        BalanceState(available: .zero(scale: scale), onHold: .zero(scale: scale), version: 0, isExternal: isExternal)
    }

    /// The source side of a posted transaction: the amount leaves `available`.
    public func debited(by amount: Amount) throws(StrongroomError) -> BalanceState {
        try checkCanSend()
        var next = self
        next.available = try available.minus(amount)
        try next.checkFloor()
        next.version += 1
        return next
    }

    /// The destination side of a posted (or committed) transaction.
    public func credited(by amount: Amount) throws(StrongroomError) -> BalanceState {
        guard !accountBlocked else { throw .ledger(.accountBlocked, "A blocked account cannot receive.") }
        guard allowReceiving else { throw .ledger(.receivingNotAllowed, "This balance does not allow receiving.") }
        var next = self
        next.available = try available.plus(amount)
        next.version += 1
        return next
    }

    /// The source side of a pending transaction: the amount moves from `available` to
    /// `onHold`, under the same rules as a debit.
    public func held(_ amount: Amount) throws(StrongroomError) -> BalanceState {
        try checkCanSend()
        var next = self
        next.available = try available.minus(amount)
        next.onHold = try onHold.plus(amount)
        try next.checkFloor()
        next.version += 1
        return next
    }

    /// Committing a pending transaction: the held amount leaves the source for good.
    public func settlingHold(_ amount: Amount) throws(StrongroomError) -> BalanceState {
        var next = self
        next.onHold = try releasingHoldAmount(amount)
        next.version += 1
        return next
    }

    /// Cancelling a pending transaction: the held amount returns to `available`. No
    /// sending or receiving rule applies: the money never left.
    public func releasingHold(_ amount: Amount) throws(StrongroomError) -> BalanceState {
        var next = self
        next.onHold = try releasingHoldAmount(amount)
        next.available = try available.plus(amount)
        next.version += 1
        return next
    }

    private func releasingHoldAmount(_ amount: Amount) throws(StrongroomError) -> Amount {
        let rest = try onHold.minus(amount)
        // A hold released twice, or larger than it was, is a bug in the caller, not a rule a
        // client can break: it must never be swallowed.
        guard !rest.isNegative else {
            throw StrongroomError(.internalError, "A hold was released beyond what is held.")
        }
        return rest
    }

    private func checkCanSend() throws(StrongroomError) {
        guard !accountBlocked else { throw .ledger(.accountBlocked, "A blocked account cannot send.") }
        guard allowSending else { throw .ledger(.sendingNotAllowed, "This balance does not allow sending.") }
    }

    private func checkFloor() throws(StrongroomError) {
        guard !isExternal else { return }
        let floor = allowOverdraft ? -overdraftLimit.minorUnits : 0
        guard available.minorUnits >= floor else {
            throw .ledger(
                .insufficientFunds,
                allowOverdraft ? "The amount exceeds the available balance and its overdraft limit." : "Insufficient funds."
            )
        }
    }
}
