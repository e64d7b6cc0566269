/// Whose sending a limit counts: one account, by alias, or every account of a portfolio
/// together.
public enum LimitSubject: Sendable, Hashable, CustomStringConvertible {
    case account(alias: String)
    case portfolio(id: String)

    /// Whether `source` is one of the subject's accounts.
    func includes(_ source: PostingFacts.Source) -> Bool {
        switch self {
        case .account(let alias): source.alias == alias
        case .portfolio(let id): source.portfolioID == id
        }
    }

    public var description: String {
        switch self {
        case .account(let alias): "account '\(alias)'"
        case .portfolio(let id): "portfolio '\(id)'"
        }
    }
}
