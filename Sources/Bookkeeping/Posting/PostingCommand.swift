import StrongroomKernel

/// Which body a transaction was posted with: the full form, or one of the one-sided forms
/// whose other side is the asset's `@external` account.
public enum TransactionForm: String, Sendable {
    case json, inflow, outflow
}

/// One money movement the posting path runs. A request is a batch of one.
public enum PostingCommand: Sendable {
    case create(TransactionBody, form: TransactionForm, ledger: LedgerRef)
    case commit(transactionID: String, ledger: LedgerRef)
    case cancel(transactionID: String, ledger: LedgerRef, reason: CancelReason)
    case revert(transactionID: String, ledger: LedgerRef)

    public enum CancelReason: Sendable {
        case requested
        /// The expiry sweeper found its `pendingExpiresAt` passed.
        case expired
    }

    /// The ledger the command moves money in.
    public var ledger: LedgerRef {
        switch self {
        case .create(_, _, let ledger), .commit(_, let ledger), .cancel(_, let ledger, _), .revert(_, let ledger): ledger
        }
    }
}
