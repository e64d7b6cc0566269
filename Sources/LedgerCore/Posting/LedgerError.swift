import StrongroomKernel

extension ErrorCode {
    // Ledger (SR-2xxx): each posting rule refuses with its own code.
    public static let invalidAmount: Self = "SR-2001"
    public static let legsDoNotAddUp: Self = "SR-2002"
    public static let invalidShare: Self = "SR-2003"
    public static let moreThanOneRemaining: Self = "SR-2004"
    public static let nothingRemaining: Self = "SR-2005"
    public static let noLegs: Self = "SR-2006"
    public static let tooManyLegs: Self = "SR-2007"
    public static let assetMismatch: Self = "SR-2008"
    public static let sameAccountBothSides: Self = "SR-2009"
    public static let insufficientFunds: Self = "SR-2010"
    public static let sendingNotAllowed: Self = "SR-2011"
    public static let receivingNotAllowed: Self = "SR-2012"
    public static let accountBlocked: Self = "SR-2013"
    public static let amountOverflow: Self = "SR-2014"
    public static let unknownAccount: Self = "SR-2015"
    public static let notPending: Self = "SR-2016"
    public static let unknownAsset: Self = "SR-2017"
    public static let alreadyReverted: Self = "SR-2018"
    // A revert names a transaction that cannot be reverted, each reason with its own code.
    public static let canceledNotRevertible: Self = "SR-2019"
    public static let pendingNotRevertible: Self = "SR-2027"
    public static let reversalNotRevertible: Self = "SR-2036"
    public static let invalidPendingExpiry: Self = "SR-2026"
    public static let legAllocation: Self = "SR-2035"
}

extension Amount {
    /// `adding`, with overflow answered as the ledger's coded error.
    func plus(_ other: Amount) throws(StrongroomError) -> Amount {
        try overflowChecked { () throws(AmountError) in try adding(other) }
    }

    /// `subtracting`, with overflow answered as the ledger's coded error.
    func minus(_ other: Amount) throws(StrongroomError) -> Amount {
        try overflowChecked { () throws(AmountError) in try subtracting(other) }
    }
}

/// Runs amount arithmetic, answering an out-of-range result as `SR-2014`.
func overflowChecked<T>(_ body: () throws(AmountError) -> T) throws(StrongroomError) -> T {
    do {
        return try body()
    } catch {
        throw .ledger(.amountOverflow, "An amount is out of range.")
    }
}

extension StrongroomError {
    /// A ledger rule refused the request: 422 with the rule's code, and the field when one
    /// is to blame.
    public static func ledger(_ code: ErrorCode, _ detail: String, field: String? = nil) -> StrongroomError {
        StrongroomError(code, .unprocessable, detail, fields: field.map { [.init(field: $0, message: detail)] } ?? [])
    }
}
