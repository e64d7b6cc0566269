import LedgerCore
import StrongroomKernel

/// A control rule as a client sends it, before it is checked: every field optional, as the
/// body decoded it. `validated` checks them all and answers every bad field in one 422
/// (`SR-2025`, `fields` naming each), so a client fixes a rule in one round.
///
/// The fields by kind (any other field present is refused):
/// - `transaction_approval`: `asset`, `source_alias`, `portfolio_id`, `at_or_above` (needs
///   `asset`), all optional; `approvals`, `group` required; `expiry_seconds` optional.
/// - `limit`: exactly one of `account_alias` and `portfolio_id`; `asset` required; at least
///   one of `per_transaction` and `per_day`; `day` (`utc`, the default, or `organization`)
///   only with `per_day`.
/// - `administrative_approval`: `actions` (1 or more names, `control_rule.*` for every rule
///   change), `approvals`, `group` required; `expiry_seconds` optional.
///
/// `ledger_id`, when given, confines any kind to one ledger of the organization.
public struct ControlRuleDraft: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case transactionApproval = "transaction_approval"
        case limit
        case administrativeApproval = "administrative_approval"
    }

    public static let maxActions = 16

    public var kind: String?
    public var ledgerID: String?
    public var asset: String?
    public var sourceAlias: String?
    public var portfolioID: String?
    public var accountAlias: String?
    public var atOrAbove: String?
    public var perTransaction: String?
    public var perDay: String?
    public var day: String?
    public var actions: [String]?
    public var approvals: Int?
    public var group: String?
    public var expirySeconds: Int64?

    public init(
        kind: String? = nil, ledgerID: String? = nil, asset: String? = nil, sourceAlias: String? = nil, portfolioID: String? = nil,
        accountAlias: String? = nil, atOrAbove: String? = nil, perTransaction: String? = nil, perDay: String? = nil, day: String? = nil,
        actions: [String]? = nil, approvals: Int? = nil, group: String? = nil, expirySeconds: Int64? = nil
    ) {
        self.kind = kind
        self.ledgerID = ledgerID
        self.asset = asset
        self.sourceAlias = sourceAlias
        self.portfolioID = portfolioID
        self.accountAlias = accountAlias
        self.atOrAbove = atOrAbove
        self.perTransaction = perTransaction
        self.perDay = perDay
        self.day = day
        self.actions = actions
        self.approvals = approvals
        self.group = group
        self.expirySeconds = expirySeconds
    }

    /// The rule this draft describes, at `version` in `organizationID`, or one 422 naming
    /// every bad field. That the ledger, portfolio, account and group exist, and that the
    /// author holds the scope, is the store's and the route's to check.
    public func validated(id: String, version: Int, organizationID: String) throws(StrongroomError) -> ControlRule {
        var problems = FieldProblems()
        if let ledgerID, !CanonicalID.isValid(ledgerID) { problems.add("ledger_id", "must be a lower-case UUID") }
        guard let kindText = kind, let kind = Kind(rawValue: kindText) else {
            // Which other fields belong depends on the kind, so they wait for one.
            let names = Kind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            problems.add("kind", self.kind == nil ? "is required" : "must be one of \(names)")
            try problems.throwIfAny("The control rule")
            throw .controlRuleField("kind", "is required")
        }
        let effect: ControlRuleEffect?
        switch kind {
        case .transactionApproval: effect = transactionApproval(&problems)
        case .limit: effect = limit(&problems)
        case .administrativeApproval: effect = administrativeApproval(&problems)
        }
        try problems.throwIfAny("The control rule")
        guard let effect else { throw StrongroomError(.invalidValue, "The control rule is invalid.") }
        return ControlRule(id: id, version: version, scope: ControlRuleScope(organizationID: organizationID, ledgerID: ledgerID), effect: effect)
    }

    private func transactionApproval(_ problems: inout FieldProblems) -> ControlRuleEffect? {
        absent(["account_alias": accountAlias, "per_transaction": perTransaction, "per_day": perDay, "day": day], kind: .transactionApproval, &problems)
        if actions != nil { problems.add("actions", "must be absent for kind 'transaction_approval'") }
        let assetCode = asset.flatMap { code in checkAsset(code, &problems) }
        let glob = sourceAlias.flatMap { pattern in problems.check { () throws(StrongroomError) in try AliasGlob(pattern) } }
        if let portfolioID, !CanonicalID.isValid(portfolioID) { problems.add("portfolio_id", "must be a lower-case UUID") }
        var threshold: RuleAmount?
        if let atOrAbove {
            threshold = problems.check { () throws(StrongroomError) in try RuleAmount(atOrAbove, field: "at_or_above") }
            if asset == nil { problems.add("at_or_above", "needs an asset: an amount means nothing without one") }
        }
        let requirement = self.requirement(&problems)
        guard let requirement, problems.fields.isEmpty else { return nil }
        let criteria = TransactionCriteria(asset: assetCode, sourceAlias: glob, portfolioID: portfolioID, atOrAbove: threshold)
        return .transactionApproval(criteria, requirement)
    }

    private func limit(_ problems: inout FieldProblems) -> ControlRuleEffect? {
        absent(
            ["source_alias": sourceAlias, "at_or_above": atOrAbove, "group": group], kind: .limit, &problems
        )
        if actions != nil { problems.add("actions", "must be absent for kind 'limit'") }
        if approvals != nil { problems.add("approvals", "must be absent for kind 'limit'") }
        if expirySeconds != nil { problems.add("expiry_seconds", "must be absent for kind 'limit'") }
        var subject: LimitSubject?
        switch (accountAlias, portfolioID) {
        case (let alias?, nil):
            if Self.isAlias(alias) {
                subject = .account(alias: alias)
            } else {
                problems.add("account_alias", "must be up to 100 letters, digits, ':', '_', '.', '-' or '/', optionally after '@'")
            }
        case (nil, let id?):
            if CanonicalID.isValid(id) { subject = .portfolio(id: id) } else { problems.add("portfolio_id", "must be a lower-case UUID") }
        case (nil, nil):
            problems.add("account_alias", "or portfolio_id is required")
        case (.some, .some):
            problems.add("portfolio_id", "must be absent when account_alias is given: a limit counts one account or one portfolio")
        }
        var assetCode: String?
        if let asset { assetCode = checkAsset(asset, &problems) } else { problems.add("asset", "is required") }
        let each = perTransaction.flatMap { text in problems.check { () throws(StrongroomError) in try RuleAmount(text, field: "per_transaction") } }
        let daily = perDay.flatMap { text in problems.check { () throws(StrongroomError) in try RuleAmount(text, field: "per_day") } }
        if perTransaction == nil, perDay == nil { problems.add("per_transaction", "or per_day is required") }
        var window = LimitDay.utc
        if let day {
            if perDay == nil { problems.add("day", "is only for per_day") }
            if let parsed = LimitDay(rawValue: day) { window = parsed } else { problems.add("day", "must be 'utc' or 'organization'") }
        }
        guard let subject, let assetCode, problems.fields.isEmpty else { return nil }
        return .limit(SpendingLimit(subject: subject, asset: assetCode, perTransaction: each, perDay: daily, day: window))
    }

    private func administrativeApproval(_ problems: inout FieldProblems) -> ControlRuleEffect? {
        absent(
            [
                "asset": asset, "source_alias": sourceAlias, "portfolio_id": portfolioID, "account_alias": accountAlias,
                "at_or_above": atOrAbove, "per_transaction": perTransaction, "per_day": perDay, "day": day,
            ],
            kind: .administrativeApproval, &problems
        )
        var covered = Set<AdministrativeAction>()
        if let actions {
            if actions.isEmpty { problems.add("actions", "must name at least one action") }
            if actions.count > Self.maxActions { problems.add("actions", "must name at most \(Self.maxActions) actions") }
            for (index, name) in actions.prefix(Self.maxActions).enumerated() {
                if let named = AdministrativeAction.named(name) {
                    covered.formUnion(named)
                } else {
                    let known = AdministrativeAction.allCases.map(\.rawValue) + [AdministrativeAction.controlRuleWildcard]
                    problems.add("actions[\(index)]", "must be one of \(known.joined(separator: ", "))")
                }
            }
        } else {
            problems.add("actions", "is required")
        }
        let requirement = self.requirement(&problems)
        guard let requirement, problems.fields.isEmpty else { return nil }
        return .administrativeApproval(covered, requirement)
    }

    private func requirement(_ problems: inout FieldProblems) -> ApprovalRequirement? {
        ApprovalRequirement.check(approvals: approvals, group: group, expirySeconds: expirySeconds, into: &problems)
        guard let approvals, let group else { return nil }
        return try? ApprovalRequirement(approvals: approvals, group: group, expirySeconds: expirySeconds ?? ApprovalRequirement.defaultExpirySeconds)
    }

    /// Refuses each field present that the kind does not take, in name order.
    private func absent(_ fields: [String: String?], kind: Kind, _ problems: inout FieldProblems) {
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) where value != nil {
            problems.add(name, "must be absent for kind '\(kind.rawValue)'")
        }
    }

    /// The ledger's asset code rule (`AssetCode`).
    private func checkAsset(_ code: String, _ problems: inout FieldProblems) -> String? {
        guard AssetCode.isValid(code) else {
            problems.add("asset", "must be 2 to 10 upper-case letters or digits, starting with a letter")
            return nil
        }
        return code
    }

    /// An account alias as the ledger allows one (external ones included, whose `/` a limit
    /// may name): `@` optional, then 1 to 100 bytes of letters, digits and `: _ . - /`.
    static func isAlias(_ alias: String) -> Bool {
        let body = alias.hasPrefix("@") ? alias.utf8.dropFirst() : alias.utf8[...]
        return !body.isEmpty && alias.utf8.count <= 100
            && body.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || [UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/")].contains(byte)
            }
    }
}
