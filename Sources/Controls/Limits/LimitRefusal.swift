import StrongroomKernel

/// The limit that refuses a posting, with what it would have let through.
public struct LimitRefusal: Sendable, Equatable {
    /// Which of a limit's two amounts refused.
    public enum Kind: Sendable, Equatable {
        case perTransaction
        case perDay(DayWindow)
    }

    public let ruleID: String
    public let subject: LimitSubject
    public let kind: Kind
    public let limit: RuleAmount
    public let asset: String

    public init(ruleID: String, subject: LimitSubject, kind: Kind, limit: RuleAmount, asset: String) {
        self.ruleID = ruleID
        self.subject = subject
        self.kind = kind
        self.limit = limit
        self.asset = asset
    }

    /// Each kind of limit refuses with its own code, so a client can tell a transaction too
    /// large from a day used up.
    public var code: ErrorCode {
        switch kind {
        case .perTransaction: .transactionLimitExceeded
        case .perDay: .dailyLimitExceeded
        }
    }

    /// The refusal as the client is answered it: 422 with the limit's code.
    public var error: StrongroomError {
        switch kind {
        case .perTransaction:
            StrongroomError(code, "The \(subject) may send at most \(limit) \(asset) in one transaction (control rule \(ruleID)).")
        case .perDay(let window):
            StrongroomError(code, "The \(subject) may send at most \(limit) \(asset) in the day from \(window.start) (control rule \(ruleID)).")
        }
    }
}
