import Foundation
import LedgerCore
import StrongroomKernel

/// The active rules, sorted for deciding: every decision the rules make about a posting or an
/// administrative action, each a pure function of the rules and what it is given.
///
/// Precedence, for a posting:
/// 1. A limit that refuses wins over any approval: a posting over a limit is refused at once
///    rather than held for approval it could not use. Of several, the first refusal in rule
///    id order is answered, a per-transaction refusal before a per-day one of the same rule.
/// 2. Otherwise, among the approval rules that match, the one asking the most approvals
///    holds it. On a tie the rule with the smallest id wins, with its group and its expiry:
///    ids are UUIDv7, so that is the oldest rule, and the answer never depends on the order
///    the store read the rules in.
/// 3. No rule that refuses or holds: allowed, as if there were no rules.
public struct ControlRuleBook: Sendable {
    public let rules: [ControlRule]
    private let limits: [(rule: ControlRule, limit: SpendingLimit)]
    private let transactionRules: [(rule: ControlRule, criteria: TransactionCriteria, requirement: ApprovalRequirement)]
    private let administrativeRules: [(rule: ControlRule, actions: Set<AdministrativeAction>, requirement: ApprovalRequirement)]

    public init(_ rules: [ControlRule]) {
        let sorted = rules.sorted { $0.id < $1.id }
        self.rules = sorted
        var limits: [(rule: ControlRule, limit: SpendingLimit)] = []
        var transactionRules: [(rule: ControlRule, criteria: TransactionCriteria, requirement: ApprovalRequirement)] = []
        var administrativeRules: [(rule: ControlRule, actions: Set<AdministrativeAction>, requirement: ApprovalRequirement)] = []
        for rule in sorted {
            switch rule.effect {
            case .limit(let limit): limits.append((rule, limit))
            case .transactionApproval(let criteria, let requirement): transactionRules.append((rule, criteria, requirement))
            case .administrativeApproval(let actions, let requirement): administrativeRules.append((rule, actions, requirement))
            }
        }
        self.limits = limits
        self.transactionRules = transactionRules
        self.administrativeRules = administrativeRules
    }

    /// The sums the store must count before `decide` can answer: one per daily limit the
    /// posting meets, each once.
    public func counters(for facts: PostingFacts, organizationTimeZone: TimeZone) -> [LimitCounter] {
        var counters: [LimitCounter] = []
        for (rule, limit) in limits where limit.perDay != nil && rule.scope.covers(organizationID: facts.organizationID, ledgerID: facts.ledgerID) {
            guard limit.sent(in: facts) != nil else { continue }
            let counter = Self.counter(limit, facts, organizationTimeZone)
            if !counters.contains(counter) { counters.append(counter) }
        }
        return counters
    }

    /// The rules' decision on a posting, given what each of `counters(for:)` counted (at the
    /// asset's scale, everything the subject sent in the window and did not cancel, holds
    /// included). A counter left out is a bug in the caller, answered as an internal error
    /// rather than counted as nothing, which would let a limit pass unchecked.
    public func decide(
        _ facts: PostingFacts, counted: [LimitCounter: Amount], organizationTimeZone: TimeZone
    ) throws(StrongroomError) -> PostingDecision {
        for (rule, limit) in limits where rule.scope.covers(organizationID: facts.organizationID, ledgerID: facts.ledgerID) {
            guard let sent = limit.sent(in: facts) else { continue }
            if let refusal = try Self.refusal(rule, limit, sent: sent, facts: facts, counted: counted, zone: organizationTimeZone) {
                return .refuse(refusal)
            }
        }
        var best: (rule: ControlRule, requirement: ApprovalRequirement)?
        for (rule, criteria, requirement) in transactionRules
        where rule.scope.covers(organizationID: facts.organizationID, ledgerID: facts.ledgerID) && criteria.matches(facts) {
            // Strictly more: on a tie the earlier rule in id order stays.
            if best.map({ requirement.approvals > $0.requirement.approvals }) ?? true { best = (rule, requirement) }
        }
        guard let best else { return .allow }
        return .hold(ApprovalHold(rule: best.rule, requirement: best.requirement, at: facts.at))
    }

    /// The hold on an administrative action made at `at`, or nil when no rule holds it. The
    /// same precedence as a posting's approvals. An action inside an organization (or one of
    /// its ledgers) is held by that organization's rules covering it; an action with no
    /// organization (rotating the signing keys, a user or group of the whole service) by any
    /// rule naming it, since the store hands this book every organization's rules for one.
    public func decide(_ action: AdministrativeAction, organizationID: String?, ledgerID: String?, at: Timestamp) -> ApprovalHold? {
        var best: (rule: ControlRule, requirement: ApprovalRequirement)?
        for (rule, actions, requirement) in administrativeRules where actions.contains(action) {
            if let organizationID {
                guard rule.scope.organizationID == organizationID else { continue }
                if let ruleLedger = rule.scope.ledgerID, ruleLedger != ledgerID { continue }
            }
            if best.map({ requirement.approvals > $0.requirement.approvals }) ?? true { best = (rule, requirement) }
        }
        return best.map { ApprovalHold(rule: $0.rule, requirement: $0.requirement, at: at) }
    }

    private static func counter(_ limit: SpendingLimit, _ facts: PostingFacts, _ zone: TimeZone) -> LimitCounter {
        let window = limit.day == .utc ? DayWindow.utc(facts.at) : DayWindow.containing(facts.at, in: zone)
        return LimitCounter(ledgerID: facts.ledgerID, subject: limit.subject, asset: limit.asset, window: window)
    }

    /// The refusal `limit` answers for what its subject sends, or nil when it lets it pass.
    private static func refusal(
        _ rule: ControlRule, _ limit: SpendingLimit, sent: Result<Amount, AmountError>, facts: PostingFacts,
        counted: [LimitCounter: Amount], zone: TimeZone
    ) throws(StrongroomError) -> LimitRefusal? {
        func refused(_ kind: LimitRefusal.Kind, _ amount: RuleAmount) -> LimitRefusal {
            LimitRefusal(ruleID: rule.id, subject: limit.subject, kind: kind, limit: amount, asset: limit.asset)
        }
        if let each = limit.perTransaction {
            switch sent {
            case .success(let amount): if each.isExceeded(by: amount) { return refused(.perTransaction, each) }
            case .failure: return refused(.perTransaction, each)
            }
        }
        if let daily = limit.perDay {
            let counter = counter(limit, facts, zone)
            guard let already = counted[counter] else {
                throw StrongroomError(.internalError, "The daily sum for \(counter) was not counted.")
            }
            switch sent {
            case .success(let amount): if daily.isExceeded(by: already, plus: amount) { return refused(.perDay(counter.window), daily) }
            case .failure: return refused(.perDay(counter.window), daily)
            }
        }
        return nil
    }
}
