import LedgerCore

/// Which transactions an approval rule holds, inside its scope: every criterion given must
/// hold, and a rule that gives none holds every transaction in its scope.
public struct TransactionCriteria: Sendable, Hashable {
    /// The asset code, or nil for any.
    public let asset: String?
    /// Held when at least one source account's alias matches.
    public let sourceAlias: AliasGlob?
    /// Held when at least one source account is in this portfolio.
    public let portfolioID: String?
    /// Held when the transaction's value is at or above this amount (so exactly the amount
    /// is held). Only with an asset: an amount means nothing without one.
    public let atOrAbove: RuleAmount?

    public init(asset: String? = nil, sourceAlias: AliasGlob? = nil, portfolioID: String? = nil, atOrAbove: RuleAmount? = nil) {
        self.asset = asset
        self.sourceAlias = sourceAlias
        self.portfolioID = portfolioID
        self.atOrAbove = atOrAbove
    }

    /// Whether the posting meets every criterion. The cheap tests come first, so a rule that
    /// does not match the traffic costs a string comparison, not a glob over every source.
    public func matches(_ facts: PostingFacts) -> Bool {
        if let asset, asset != facts.asset { return false }
        if let atOrAbove, !atOrAbove.isReached(by: facts.amount) { return false }
        if let portfolioID, !facts.sources.contains(where: { $0.portfolioID == portfolioID }) { return false }
        if let sourceAlias, !facts.sources.contains(where: { sourceAlias.matches($0.alias) }) { return false }
        return true
    }
}
