import StrongroomKernel

/// One sum a daily limit needs before it can be decided: what the subject has already sent
/// of the asset in the ledger during the window. The store counts it in the posting's own
/// database transaction, under the lock that orders postings against the subject, and hands
/// it back keyed by this value.
public struct LimitCounter: Sendable, Hashable, CustomStringConvertible {
    public let ledgerID: String
    public let subject: LimitSubject
    public let asset: String
    public let window: DayWindow

    public init(ledgerID: String, subject: LimitSubject, asset: String, window: DayWindow) {
        self.ledgerID = ledgerID
        self.subject = subject
        self.asset = asset
        self.window = window
    }

    public var description: String { "\(subject) in \(asset) during \(window)" }
}
