/// Which controls hold one account at the moment a posting reads it: the account's own
/// flags and those of the portfolio and ledger it is in, read together with its balance.
public struct ControlState: Sendable, Equatable {
    public var blocked: Bool
    public var accountFrozen: Bool
    public var portfolioLocked: Bool
    public var ledgerFrozen: Bool

    /// No control holds the account.
    public static let free = ControlState()

    public init(blocked: Bool = false, accountFrozen: Bool = false, portfolioLocked: Bool = false, ledgerFrozen: Bool = false) {
        self.blocked = blocked
        self.accountFrozen = accountFrozen
        self.portfolioLocked = portfolioLocked
        self.ledgerFrozen = ledgerFrozen
    }

    /// Whether `control` holds the account.
    public func holds(_ control: Control) -> Bool {
        switch control {
        case .ledgerFrozen: ledgerFrozen
        case .portfolioLocked: portfolioLocked
        case .accountFrozen: accountFrozen
        case .blocked: blocked
        }
    }
}
