/// The entities a freeze or lock is set on, each with the control it sets.
public enum ControlSubject: String, Sendable, Equatable, CaseIterable {
    case account
    case portfolio
    case ledger

    public var control: Control {
        switch self {
        case .account: .accountFrozen
        case .portfolio: .portfolioLocked
        case .ledger: .ledgerFrozen
        }
    }
}
