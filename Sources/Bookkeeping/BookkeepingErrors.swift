import LedgerCore
import StrongroomKernel

extension StrongroomError {
    /// 404 for an entity named in the path that does not exist (or is deleted, or belongs to
    /// another organization or ledger: the answer never says which).
    public static func notFound(_ what: String) -> StrongroomError {
        StrongroomError(.entityNotFound, "\(what) was not found.")
    }

    /// 422 for a field that breaks its rule.
    public static func invalidValue(_ field: String, _ message: String) -> StrongroomError {
        StrongroomError(.invalidValue, "Field '\(field)' \(message).", fields: [.init(field: field, message: message)])
    }

    /// 422 for text that is not an amount of `field`'s asset: `SR-2014` when it is out of
    /// range (over 10^20 major units, API.md), `SR-2001` for anything else. `what` names the
    /// field in the detail ("The amount", "The overdraft limit").
    static func amount(_ error: AmountError, scale: Int, field: String, what: String) -> StrongroomError {
        switch error {
        case .outOfRange: .ledger(.amountOverflow, "\(what) exceeds 10^20 major units.", field: field)
        case .tooManyFractionDigits: .ledger(.invalidAmount, "\(what) has more than \(scale) fractional digits.", field: field)
        case .malformed, .scaleOutOfRange, .scaleMismatch: .ledger(.invalidAmount, "\(what) is not a decimal amount like \"100.00\".", field: field)
        }
    }

    /// 400 for a required field that is absent, as the strict decoder answers it.
    public static func missingField(_ field: String) -> StrongroomError {
        StrongroomError(.invalidField, "Field '\(field)': is required.", fields: [.init(field: field, message: "is required")])
    }
}
