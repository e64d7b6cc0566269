import LedgerCore

/// A rule that refuses: the most one account (or one portfolio's accounts together) may send
/// of an asset in one transaction, in one day, or both. A limit is the most that may pass:
/// sending exactly the limit passes, a minor unit more is refused.
public struct SpendingLimit: Sendable, Hashable {
    public let subject: LimitSubject
    /// The asset code: a limit counts one asset, so amounts are never added across scales.
    public let asset: String
    public let perTransaction: RuleAmount?
    public let perDay: RuleAmount?
    public let day: LimitDay

    public init(subject: LimitSubject, asset: String, perTransaction: RuleAmount?, perDay: RuleAmount?, day: LimitDay = .utc) {
        self.subject = subject
        self.asset = asset
        self.perTransaction = perTransaction
        self.perDay = perDay
        self.day = day
    }

    /// What the subject sends in the posting, or nil when it sends nothing the limit counts
    /// (another asset, or none of its accounts on the sending side). A sum past the amount
    /// range is a failure the caller treats as over any limit.
    public func sent(in facts: PostingFacts) -> Result<Amount, AmountError>? {
        guard facts.asset == asset else { return nil }
        var total: Amount?
        for source in facts.sources where subject.includes(source) {
            guard let sum = total else {
                total = source.amount
                continue
            }
            do {
                total = try sum.adding(source.amount)
            } catch {
                return .failure(error)
            }
        }
        return total.map { .success($0) }
    }
}
