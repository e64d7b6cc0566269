import Controls
import Foundation
import LedgerCore
import StrongroomKernel
import Testing

/// The decision on a posting and on an administrative action: precedence, scope, and limits
/// at their boundary.
@Suite struct ControlRuleBookTests {
    static let organization = "01900000-0000-7000-8000-0000000000aa"
    static let ledger = "01900000-0000-7000-8000-0000000000bb"
    static let otherLedger = "01900000-0000-7000-8000-0000000000bc"
    static let portfolio = "01900000-0000-7000-8000-0000000000cc"
    static let at = Timestamp(microsecondsSinceEpoch: 1_796_000_000_000_000)
    static let utc = TimeZone(identifier: "UTC") ?? TimeZone.current

    static func id(_ n: Int) -> String { "01900000-0000-7000-8000-\(String(repeating: "0", count: 12 - String(n).count))\(n)" }

    static func rule(_ n: Int, ledger: String? = nil, _ draft: ControlRuleDraft) throws -> ControlRule {
        var draft = draft
        draft.ledgerID = ledger
        return try draft.validated(id: id(n), version: 1, organizationID: organization)
    }

    static func approval(
        _ n: Int, approvals: Int, group: String = "checkers", asset: String? = "USD", above: String? = nil, alias: String? = nil,
        portfolio: String? = nil, ledger: String? = nil
    ) throws -> ControlRule {
        let draft = ControlRuleDraft(
            kind: "transaction_approval", asset: asset, sourceAlias: alias, portfolioID: portfolio, atOrAbove: above, approvals: approvals,
            group: group
        )
        return try rule(n, ledger: ledger, draft)
    }

    static func limit(
        _ n: Int, alias: String? = "@ops", portfolio: String? = nil, each: String? = nil, daily: String? = nil, day: String? = nil
    ) throws -> ControlRule {
        try rule(
            n,
            ControlRuleDraft(kind: "limit", asset: "USD", portfolioID: portfolio, accountAlias: alias, perTransaction: each, perDay: daily, day: day)
        )
    }

    /// A USD posting (scale 2) of `cents` from `@ops`, or from the sources given.
    static func posting(
        _ cents: Int128, ledger: String = ledger, sources: [(String, String?, Int128)]? = nil, at: Timestamp = at
    ) throws -> PostingFacts {
        let legs = try (sources ?? [("@ops", nil, cents)]).map { alias, portfolio, amount in
            PostingFacts.Source(alias: alias, portfolioID: portfolio, amount: try Amount(minorUnits: amount, scale: 2))
        }
        return PostingFacts(
            organizationID: organization, ledgerID: ledger, asset: "USD", amount: try Amount(minorUnits: cents, scale: 2), sources: legs, at: at
        )
    }

    static func decide(_ rules: [ControlRule], _ facts: PostingFacts, counted cents: Int128 = 0) throws -> PostingDecision {
        let book = ControlRuleBook(rules)
        var counted: [LimitCounter: Amount] = [:]
        for counter in book.counters(for: facts, organizationTimeZone: utc) { counted[counter] = try Amount(minorUnits: cents, scale: 2) }
        return try book.decide(facts, counted: counted, organizationTimeZone: utc)
    }

    static func heldBy(_ decision: PostingDecision) -> String? {
        if case .hold(let hold) = decision { return hold.ruleID }
        return nil
    }

    static func refusal(_ decision: PostingDecision) -> LimitRefusal? {
        if case .refuse(let refusal) = decision { return refusal }
        return nil
    }

    @Test("no rule, or no rule that matches, means allow")
    func noRuleAllows() throws {
        #expect(try Self.decide([], Self.posting(5_000_000)) == .allow)
        let rules = [
            try Self.approval(1, approvals: 2, asset: "EUR"), try Self.approval(2, approvals: 2, alias: "@treasury*"),
            try Self.approval(3, approvals: 2, ledger: Self.otherLedger), try Self.limit(4, alias: "@other", each: "1"),
        ]
        #expect(try Self.decide(rules, Self.posting(5_000_000)) == .allow)
    }

    @Test("a threshold holds exactly at its amount and above, not below")
    func thresholdBoundary() throws {
        let rules = [try Self.approval(1, approvals: 2, above: "10000.00")]
        #expect(try Self.decide(rules, Self.posting(999_999)) == .allow)
        #expect(try Self.heldBy(Self.decide(rules, Self.posting(1_000_000))) == Self.id(1))
        #expect(try Self.heldBy(Self.decide(rules, Self.posting(5_000_000))) == Self.id(1))
    }

    @Test("the hold carries the rule's requirement and expires its expiry after the posting")
    func holdContents() throws {
        let rule = try Self.rule(
            7, ControlRuleDraft(kind: "transaction_approval", approvals: 2, group: "treasury", expirySeconds: 3_600)
        )
        guard case .hold(let hold) = try Self.decide([rule], Self.posting(100)) else {
            Issue.record("not held")
            return
        }
        #expect(hold.requirement.approvals == 2 && hold.requirement.group == "treasury")
        #expect(hold.expiresAt == Self.at.adding(seconds: 3_600))
        #expect(hold.ruleVersion == 1)
    }

    @Test("among matching approval rules the largest N applies; a tie goes to the smallest rule id")
    func largestApprovalsWin() throws {
        let two = try Self.approval(5, approvals: 2, group: "two")
        let three = try Self.approval(9, approvals: 3, group: "three")
        let alsoThree = try Self.approval(2, approvals: 3, group: "also-three", alias: "@op*")
        for rules in [[two, three], [three, two]] {
            #expect(try Self.heldBy(Self.decide(rules, Self.posting(100))) == Self.id(9))
        }
        for rules in [[two, three, alsoThree], [alsoThree, three, two], [three, alsoThree, two]] {
            guard case .hold(let hold) = try Self.decide(rules, Self.posting(100)) else {
                Issue.record("not held")
                continue
            }
            #expect(hold.ruleID == Self.id(2), "the tie goes to the smaller id whatever the order")
            #expect(hold.requirement.group == "also-three")
        }
    }

    @Test("a refusing limit wins over an approval requirement; a limit that passes does not stop the hold")
    func limitWinsOverApproval() throws {
        let rules = [try Self.approval(1, approvals: 3), try Self.limit(2, each: "100.00")]
        #expect(try Self.refusal(Self.decide(rules, Self.posting(10_001)))?.code == .transactionLimitExceeded)
        #expect(try Self.heldBy(Self.decide(rules, Self.posting(10_000))) == Self.id(1))
    }

    @Test("criteria: alias glob and portfolio on the sending side, scope by ledger")
    func criteria() throws {
        let byAlias = try Self.approval(1, approvals: 2, alias: "@treasury:*")
        let byPortfolio = try Self.approval(2, approvals: 2, portfolio: Self.portfolio)
        let inLedger = try Self.approval(3, approvals: 2, ledger: Self.ledger)
        let treasury = try Self.posting(300, sources: [("@ops", nil, 100), ("@treasury:eur", nil, 200)])
        #expect(try Self.heldBy(Self.decide([byAlias], treasury)) == Self.id(1))
        #expect(try Self.decide([byAlias], Self.posting(300)) == .allow)
        let inPortfolio = try Self.posting(300, sources: [("@ops", Self.portfolio, 300)])
        #expect(try Self.heldBy(Self.decide([byPortfolio], inPortfolio)) == Self.id(2))
        #expect(try Self.decide([byPortfolio], Self.posting(300)) == .allow)
        #expect(try Self.heldBy(Self.decide([inLedger], Self.posting(300))) == Self.id(3))
        #expect(try Self.decide([inLedger], Self.posting(300, ledger: Self.otherLedger)) == .allow)
    }

    @Test("a limit lets exactly its amount through, per transaction and per day")
    func limitBoundaries() throws {
        let each = [try Self.limit(1, each: "100.00")]
        #expect(try Self.decide(each, Self.posting(10_000)) == .allow)
        #expect(try Self.refusal(Self.decide(each, Self.posting(10_001)))?.code == .transactionLimitExceeded)

        let daily = [try Self.limit(1, daily: "1000.00")]
        #expect(try Self.decide(daily, Self.posting(40_000), counted: 60_000) == .allow, "exactly the day's limit passes")
        let refused = try Self.refusal(Self.decide(daily, Self.posting(40_001), counted: 60_000))
        #expect(refused?.code == .dailyLimitExceeded)
        #expect(refused?.error.code == .dailyLimitExceeded)
        #expect(try Self.refusal(Self.decide(daily, Self.posting(1), counted: 100_000))?.code == .dailyLimitExceeded)
    }

    @Test("a portfolio limit adds up what all its accounts send in the posting")
    func portfolioLimit() throws {
        let rules = [try Self.limit(1, alias: nil, portfolio: Self.portfolio, each: "100.00")]
        let within = try Self.posting(15_000, sources: [("@a", Self.portfolio, 5_000), ("@b", Self.portfolio, 5_000), ("@c", nil, 5_000)])
        #expect(try Self.decide(rules, within) == .allow)
        let over = try Self.posting(15_000, sources: [("@a", Self.portfolio, 5_000), ("@b", Self.portfolio, 5_001), ("@c", nil, 4_999)])
        #expect(try Self.refusal(Self.decide(rules, over))?.subject == .portfolio(id: Self.portfolio))
    }

    @Test("the store is asked for each daily sum once, and a sum it leaves out is a bug, not zero")
    func counters() throws {
        let rules = [
            try Self.limit(1, daily: "10"), try Self.limit(2, daily: "20"), try Self.limit(3, alias: "@else", daily: "5"), try Self.limit(4, each: "5"),
        ]
        let book = ControlRuleBook(rules)
        let facts = try Self.posting(100)
        let counters = book.counters(for: facts, organizationTimeZone: Self.utc)
        #expect(counters.count == 1)
        #expect(counters.first?.subject == .account(alias: "@ops"))
        #expect(counters.first?.window == DayWindow.utc(Self.at))
        #expect(throws: StrongroomError.self) { try book.decide(facts, counted: [:], organizationTimeZone: Self.utc) }
    }

    @Test("administrative actions: the named actions, control_rule.* for every rule change, largest N")
    func administrative() throws {
        let rules = [
            try Self.rule(1, ControlRuleDraft(kind: "administrative_approval", actions: ["control_rule.*"], approvals: 2, group: "admins")),
            try Self.rule(
                2, ControlRuleDraft(kind: "administrative_approval", actions: ["keys.rotate", "control_rule.disable"], approvals: 3, group: "owners")
            ),
        ]
        let book = ControlRuleBook(rules)
        #expect(book.decide(.controlRuleUpdate, organizationID: Self.organization, ledgerID: nil, at: Self.at)?.ruleID == Self.id(1))
        #expect(book.decide(.controlRuleDisable, organizationID: Self.organization, ledgerID: nil, at: Self.at)?.requirement.approvals == 3)
        #expect(book.decide(.keysRotate, organizationID: nil, ledgerID: nil, at: Self.at)?.ruleID == Self.id(2))
        #expect(book.decide(.userCreate, organizationID: nil, ledgerID: nil, at: Self.at) == nil)
        #expect(book.decide(.controlRuleUpdate, organizationID: "01900000-0000-7000-8000-0000000000ff", ledgerID: nil, at: Self.at) == nil)
    }
}
