import Controls
import LedgerCore
import StrongroomKernel
import Testing

/// Validation of a rule as a client sends it: every bad field named in one 422.
@Suite struct ControlRuleDraftTests {
    static let ruleID = "01900000-0000-7000-8000-000000000001"
    static let organization = "01900000-0000-7000-8000-0000000000aa"
    static let ledger = "01900000-0000-7000-8000-0000000000bb"
    static let portfolio = "01900000-0000-7000-8000-0000000000cc"

    /// The fields a refused draft names, or nil when it is accepted.
    static func refusedFields(_ draft: ControlRuleDraft) -> [String]? {
        do {
            _ = try draft.validated(id: ruleID, version: 1, organizationID: organization)
            return nil
        } catch {
            #expect(error.code == .invalidValue)
            return error.fields.map(\.field)
        }
    }

    @Test("a kind is required and must be known")
    func kind() {
        #expect(Self.refusedFields(ControlRuleDraft()) == ["kind"])
        #expect(Self.refusedFields(ControlRuleDraft(kind: "approval")) == ["kind"])
        #expect(Self.refusedFields(ControlRuleDraft(ledgerID: "LEDGER")) == ["ledger_id", "kind"])
    }

    @Test("a transaction approval rule with every field bad names every field")
    func everyTransactionFieldAtOnce() {
        let draft = ControlRuleDraft(
            kind: "transaction_approval", ledgerID: "not-a-uuid", asset: "usd", sourceAlias: "@a b", portfolioID: "x",
            accountAlias: "@ops", atOrAbove: "-5", perTransaction: "1", perDay: "1", day: "utc", actions: ["keys.rotate"],
            approvals: 11, group: "Checkers", expirySeconds: 60
        )
        let fields = Self.refusedFields(draft)
        #expect(
            fields == [
                "ledger_id", "account_alias", "day", "per_day", "per_transaction", "actions", "asset", "source_alias", "portfolio_id",
                "at_or_above", "approvals", "group", "expiry_seconds",
            ]
        )
    }

    @Test("a transaction approval rule: bounds of each field")
    func transactionBounds() throws {
        func rule(_ change: (inout ControlRuleDraft) -> Void) -> [String]? {
            var draft = ControlRuleDraft(kind: "transaction_approval", approvals: 2, group: "checkers")
            change(&draft)
            return Self.refusedFields(draft)
        }
        #expect(rule { _ in } == nil)
        #expect(rule { $0.approvals = 0 } == ["approvals"])
        #expect(rule { $0.approvals = 10 } == nil)
        #expect(rule { $0.approvals = nil } == ["approvals"])
        #expect(rule { $0.group = nil } == ["group"])
        #expect(rule { $0.group = String(repeating: "g", count: 65) } == ["group"])
        #expect(rule { $0.group = "-checkers" } == ["group"])
        #expect(rule { $0.expirySeconds = 3_599 } == ["expiry_seconds"])
        #expect(rule { $0.expirySeconds = 3_600 } == nil)
        #expect(rule { $0.expirySeconds = 604_800 } == nil)
        #expect(rule { $0.expirySeconds = 604_801 } == ["expiry_seconds"])
        #expect(rule { $0.atOrAbove = "10000.00" } == ["at_or_above"], "an amount needs an asset")
        #expect(rule { $0.asset = "USD"; $0.atOrAbove = "10000.00" } == nil)
        #expect(rule { $0.asset = "USD"; $0.atOrAbove = "0" } == ["at_or_above"])
        #expect(rule { $0.asset = "USD"; $0.atOrAbove = "1.0000000000000000001" } == ["at_or_above"])
        #expect(rule { $0.asset = "USD"; $0.atOrAbove = "100000000000000000001" } == ["at_or_above"])
        #expect(rule { $0.asset = "USD"; $0.atOrAbove = "1e5" } == ["at_or_above"])
        #expect(rule { $0.asset = "U" } == ["asset"])
        #expect(rule { $0.asset = "1USD" } == ["asset"])
        #expect(rule { $0.sourceAlias = "" } == ["source_alias"])
        #expect(rule { $0.sourceAlias = String(repeating: "*", count: 129) } == ["source_alias"])
        #expect(rule { $0.portfolioID = Self.portfolio.uppercased() } == ["portfolio_id"])

        let accepted = try ControlRuleDraft(
            kind: "transaction_approval", ledgerID: Self.ledger, asset: "USD", sourceAlias: "@treasury*", portfolioID: Self.portfolio,
            atOrAbove: "10000.00", approvals: 2, group: "checkers"
        ).validated(id: Self.ruleID, version: 3, organizationID: Self.organization)
        #expect(accepted.scope == ControlRuleScope(organizationID: Self.organization, ledgerID: Self.ledger))
        #expect(accepted.version == 3)
        guard case .transactionApproval(let criteria, let requirement) = accepted.effect else {
            Issue.record("not a transaction approval: \(accepted.effect)")
            return
        }
        #expect(criteria.asset == "USD")
        #expect(criteria.sourceAlias?.pattern == "@treasury*")
        #expect(criteria.atOrAbove?.description == "10000")
        #expect(requirement.approvals == 2 && requirement.group == "checkers")
        #expect(requirement.expirySeconds == 86_400, "24 hours by default")
    }

    @Test("a limit: one subject, an asset, at least one amount, a day only for a daily amount")
    func limits() throws {
        func rule(_ change: (inout ControlRuleDraft) -> Void) -> [String]? {
            var draft = ControlRuleDraft(kind: "limit", asset: "EUR", accountAlias: "@ops", perDay: "5000")
            change(&draft)
            return Self.refusedFields(draft)
        }
        #expect(rule { _ in } == nil)
        #expect(rule { $0.accountAlias = nil } == ["account_alias"])
        #expect(rule { $0.portfolioID = Self.portfolio } == ["portfolio_id"])
        #expect(rule { $0.accountAlias = nil; $0.portfolioID = Self.portfolio } == nil)
        #expect(rule { $0.accountAlias = "@a b" } == ["account_alias"])
        #expect(rule { $0.asset = nil } == ["asset"])
        #expect(rule { $0.perDay = nil } == ["per_transaction"])
        #expect(rule { $0.perDay = nil; $0.perTransaction = "10" } == nil)
        #expect(rule { $0.perDay = "-1" } == ["per_day"])
        #expect(rule { $0.day = "organization" } == nil)
        #expect(rule { $0.day = "local" } == ["day"])
        #expect(rule { $0.perDay = nil; $0.perTransaction = "10"; $0.day = "utc" } == ["day"])
        #expect(
            rule { $0.approvals = 2; $0.group = "checkers"; $0.expirySeconds = 3_600; $0.sourceAlias = "*"; $0.atOrAbove = "1" }
                == ["at_or_above", "group", "source_alias", "approvals", "expiry_seconds"]
        )
        // Every field of a limit wrong at once.
        let allBad = ControlRuleDraft(kind: "limit", asset: "eur", accountAlias: "bad alias", perTransaction: "x", perDay: "0", day: "week")
        #expect(Self.refusedFields(allBad) == ["account_alias", "asset", "per_transaction", "per_day", "day"])

        let accepted = try ControlRuleDraft(kind: "limit", asset: "EUR", portfolioID: Self.portfolio, perTransaction: "100.5", perDay: "5000")
            .validated(id: Self.ruleID, version: 1, organizationID: Self.organization)
        #expect(accepted.scope.ledgerID == nil)
        guard case .limit(let limit) = accepted.effect else {
            Issue.record("not a limit: \(accepted.effect)")
            return
        }
        #expect(limit.subject == .portfolio(id: Self.portfolio))
        #expect(limit.perTransaction?.description == "100.5")
        #expect(limit.perDay?.description == "5000")
        #expect(limit.day == .utc, "UTC by default")
    }

    @Test("an administrative approval: known action names, control_rule.* for every rule change")
    func administrative() throws {
        func rule(_ change: (inout ControlRuleDraft) -> Void) -> [String]? {
            var draft = ControlRuleDraft(kind: "administrative_approval", actions: ["user.create"], approvals: 2, group: "admins")
            change(&draft)
            return Self.refusedFields(draft)
        }
        #expect(rule { _ in } == nil)
        #expect(rule { $0.actions = nil } == ["actions"])
        #expect(rule { $0.actions = [] } == ["actions"])
        #expect(rule { $0.actions = ["user.create", "user.delete", "control_rule.*"] } == ["actions[1]"])
        #expect(rule { $0.actions = Array(repeating: "keys.rotate", count: 17) } == ["actions"])
        #expect(rule { $0.asset = "USD"; $0.perDay = "1" } == ["asset", "per_day"])
        #expect(rule { $0.approvals = 0; $0.group = "" } == ["approvals", "group"])

        let accepted = try ControlRuleDraft(
            kind: "administrative_approval", actions: ["control_rule.*", "account.unfreeze"], approvals: 3, group: "admins", expirySeconds: 7_200
        ).validated(id: Self.ruleID, version: 1, organizationID: Self.organization)
        guard case .administrativeApproval(let actions, let requirement) = accepted.effect else {
            Issue.record("not an administrative approval: \(accepted.effect)")
            return
        }
        #expect(actions == [.controlRuleCreate, .controlRuleUpdate, .controlRuleDisable, .accountUnfreeze])
        #expect(requirement.approvals == 3 && requirement.expirySeconds == 7_200)
    }

    @Test("a rule amount is held exactly whatever scale it is written at")
    func ruleAmounts() throws {
        let amount = try RuleAmount("10000.00", field: "at_or_above")
        #expect(amount.description == "10000")
        #expect(amount.isReached(by: try Amount(minorUnits: 1_000_000, scale: 2)))
        #expect(!amount.isReached(by: try Amount(minorUnits: 999_999, scale: 2)))
        #expect(amount.isReached(by: try Amount(minorUnits: 10_000, scale: 0)))
        #expect(!amount.isExceeded(by: try Amount(minorUnits: 10_000_000_000_000_000_000_000, scale: 18)))
        #expect(amount.isExceeded(by: try Amount(minorUnits: 10_000_000_000_000_000_000_001, scale: 18)))
        #expect(try RuleAmount("0.000000000000000001", field: "x").description == "0.000000000000000001")
    }
}
