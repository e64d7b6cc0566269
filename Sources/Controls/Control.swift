import StrongroomKernel

/// One thing that can stop an account's money moving. The cases are in precedence order,
/// broadest first: when several apply to a posting, the first one in this order is the one
/// the client is told about (a frozen ledger explains more than a frozen account in it).
public enum Control: Sendable, Equatable, CaseIterable {
    /// The ledger the account is in is frozen.
    case ledgerFrozen
    /// The account is in a locked portfolio.
    case portfolioLocked
    /// The account itself is frozen.
    case accountFrozen
    /// Midaz's `blocked` flag on the account.
    case blocked

    /// The code the posting is refused with: each control its own, so a client can tell
    /// which one applies.
    public var code: ErrorCode {
        switch self {
        case .ledgerFrozen: .ledgerFrozen
        case .portfolioLocked: .portfolioLocked
        case .accountFrozen: .accountFrozen
        case .blocked: .accountBlocked
        }
    }

    /// The refusal's detail, naming the account it stopped.
    func message(alias: String) -> String {
        switch self {
        case .ledgerFrozen: "The ledger of account '\(alias)' is frozen."
        case .portfolioLocked: "The portfolio of account '\(alias)' is locked."
        case .accountFrozen: "The account '\(alias)' is frozen."
        case .blocked: "The account '\(alias)' is blocked."
        }
    }
}
