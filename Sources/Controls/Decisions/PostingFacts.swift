import LedgerCore
import StrongroomKernel

/// What the rules are asked about a posting, as the engine knows it once the legs are
/// resolved: where it is, in what asset, how much, and who sends it. Receiving is never
/// limited or held by a rule; the table of effects already stops a frozen receiver.
public struct PostingFacts: Sendable, Equatable {
    /// One account on the sending side and what it sends.
    public struct Source: Sendable, Equatable {
        public let alias: String
        /// The portfolio the account is in, if any.
        public let portfolioID: String?
        /// What the account sends, at the asset's scale.
        public let amount: Amount

        public init(alias: String, portfolioID: String?, amount: Amount) {
            self.alias = alias
            self.portfolioID = portfolioID
            self.amount = amount
        }
    }

    public let organizationID: String
    public let ledgerID: String
    /// The asset code.
    public let asset: String
    /// The transaction's value, at the asset's scale: what a threshold is compared with.
    public let amount: Amount
    public let sources: [Source]
    /// When it is posted: the day a daily limit counts it in, and the start of a hold's expiry.
    public let at: Timestamp

    public init(organizationID: String, ledgerID: String, asset: String, amount: Amount, sources: [Source], at: Timestamp) {
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.asset = asset
        self.amount = amount
        self.sources = sources
        self.at = at
    }
}
