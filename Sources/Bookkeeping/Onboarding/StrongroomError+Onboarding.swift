import StrongroomKernel

extension StrongroomError {
    static func stillInUse(_ detail: String) -> StrongroomError { StrongroomError(.stillInUse, detail) }

    static func nonZeroBalance(_ detail: String) -> StrongroomError { StrongroomError(.nonZeroBalance, detail) }

    static func externalAccount() -> StrongroomError {
        StrongroomError(.externalAccount, "External accounts and their balances are kept by the ledger and cannot be changed or deleted.")
    }

    public static func aliasTaken(_ alias: String) -> StrongroomError {
        StrongroomError(.aliasTaken, "The alias '\(alias)' is taken in this ledger.", fields: [.init(field: "alias", message: "is taken")])
    }

    public static func assetCodeTaken(_ code: String) -> StrongroomError {
        StrongroomError(.assetCodeTaken, "The asset code '\(code)' is taken in this ledger.", fields: [.init(field: "code", message: "is taken")])
    }
}
