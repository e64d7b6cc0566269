/// A draft as JSON, in the API's field names (`source_alias`, `expiry_seconds`): the body of
/// `POST` and `PATCH …/control-rules`, and the definition the store keeps, so the one wire
/// shape is written here once. A field that is nil is left out.
extension ControlRuleDraft: Codable {
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case kind
        case ledgerID = "ledger_id"
        case asset
        case sourceAlias = "source_alias"
        case portfolioID = "portfolio_id"
        case accountAlias = "account_alias"
        case atOrAbove = "at_or_above"
        case perTransaction = "per_transaction"
        case perDay = "per_day"
        case day
        case actions
        case approvals
        case group
        case expirySeconds = "expiry_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decodeIfPresent(String.self, forKey: .kind),
            ledgerID: try container.decodeIfPresent(String.self, forKey: .ledgerID),
            asset: try container.decodeIfPresent(String.self, forKey: .asset),
            sourceAlias: try container.decodeIfPresent(String.self, forKey: .sourceAlias),
            portfolioID: try container.decodeIfPresent(String.self, forKey: .portfolioID),
            accountAlias: try container.decodeIfPresent(String.self, forKey: .accountAlias),
            atOrAbove: try container.decodeIfPresent(String.self, forKey: .atOrAbove),
            perTransaction: try container.decodeIfPresent(String.self, forKey: .perTransaction),
            perDay: try container.decodeIfPresent(String.self, forKey: .perDay),
            day: try container.decodeIfPresent(String.self, forKey: .day),
            actions: try container.decodeIfPresent([String].self, forKey: .actions),
            approvals: try container.decodeIfPresent(Int.self, forKey: .approvals),
            group: try container.decodeIfPresent(String.self, forKey: .group),
            expirySeconds: try container.decodeIfPresent(Int64.self, forKey: .expirySeconds)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encodeIfPresent(ledgerID, forKey: .ledgerID)
        try container.encodeIfPresent(asset, forKey: .asset)
        try container.encodeIfPresent(sourceAlias, forKey: .sourceAlias)
        try container.encodeIfPresent(portfolioID, forKey: .portfolioID)
        try container.encodeIfPresent(accountAlias, forKey: .accountAlias)
        try container.encodeIfPresent(atOrAbove, forKey: .atOrAbove)
        try container.encodeIfPresent(perTransaction, forKey: .perTransaction)
        try container.encodeIfPresent(perDay, forKey: .perDay)
        try container.encodeIfPresent(day, forKey: .day)
        try container.encodeIfPresent(actions, forKey: .actions)
        try container.encodeIfPresent(approvals, forKey: .approvals)
        try container.encodeIfPresent(group, forKey: .group)
        try container.encodeIfPresent(expirySeconds, forKey: .expirySeconds)
    }

    /// This draft with every field `changes` gives put in place of its own: a `PATCH`. A
    /// field `changes` leaves out (or sends as null) stays as it was.
    public func merging(_ changes: ControlRuleDraft) -> ControlRuleDraft {
        var merged = self
        if let kind = changes.kind { merged.kind = kind }
        if let ledgerID = changes.ledgerID { merged.ledgerID = ledgerID }
        if let asset = changes.asset { merged.asset = asset }
        if let sourceAlias = changes.sourceAlias { merged.sourceAlias = sourceAlias }
        if let portfolioID = changes.portfolioID { merged.portfolioID = portfolioID }
        if let accountAlias = changes.accountAlias { merged.accountAlias = accountAlias }
        if let atOrAbove = changes.atOrAbove { merged.atOrAbove = atOrAbove }
        if let perTransaction = changes.perTransaction { merged.perTransaction = perTransaction }
        if let perDay = changes.perDay { merged.perDay = perDay }
        if let day = changes.day { merged.day = day }
        if let actions = changes.actions { merged.actions = actions }
        if let approvals = changes.approvals { merged.approvals = approvals }
        if let group = changes.group { merged.group = group }
        if let expirySeconds = changes.expirySeconds { merged.expirySeconds = expirySeconds }
        return merged
    }
}
