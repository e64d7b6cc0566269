import LedgerCore
import StrongroomKernel

extension ErrorCode {
    // Ledger entities (SR-20xx, after the posting rules in LedgerCore).
    public static let entityNotFound: Self = "SR-2020"
    public static let aliasTaken: Self = "SR-2021"
    public static let assetCodeTaken: Self = "SR-2022"
    public static let nonZeroBalance: Self = "SR-2023"
    public static let invalidMetadata: Self = "SR-2024"
    public static let invalidValue: Self = "SR-2025"
    public static let stillInUse: Self = "SR-2028"
    public static let reservedAlias: Self = "SR-2029"
    public static let unknownReference: Self = "SR-2033"
    public static let externalAccount: Self = "SR-2034"
}

extension StrongroomError {
    /// 404 for an entity named in the path that does not exist (or is deleted, or belongs to
    /// another organization or ledger: the answer never says which).
    public static func notFound(_ what: String) -> StrongroomError {
        StrongroomError(.entityNotFound, .notFound, "\(what) was not found.")
    }

    /// 422 for a field that breaks its rule.
    public static func invalidValue(_ field: String, _ message: String) -> StrongroomError {
        StrongroomError(.invalidValue, .unprocessable, "Field '\(field)' \(message).", fields: [.init(field: field, message: message)])
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
        StrongroomError(.invalidField, .badRequest, "Field '\(field)': is required.", fields: [.init(field: field, message: "is required")])
    }
}
