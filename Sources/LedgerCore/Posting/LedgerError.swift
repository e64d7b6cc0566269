import StrongroomKernel

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
    /// A ledger rule refused the request: the rule's code (422, as the catalogue answers every
    /// rule), and the field when one is to blame.
    public static func ledger(_ code: ErrorCode, _ detail: String, field: String? = nil) -> StrongroomError {
        StrongroomError(code, detail, fields: field.map { [.init(field: $0, message: detail)] } ?? [])
    }
}
