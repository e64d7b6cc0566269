import Audit
import Bookkeeping
import Controls
import Foundation
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// `/v1/organizations/{organization_id}/control-rules`: maker-checker's rules as data (issue
/// 26, item 1; "Maker-checker: rules and approvals" in docs/ARCHITECTURE.md). Create, list,
/// read (any version), change (a new version) and disable, all under `controls:manage`.
///
/// A thin shell: `ControlRuleDraft` validates a rule, `ControlRuleAuthority` says whether
/// the caller may cover what it covers, `ApprovalRequirement.checkEligibleApprovers` whether
/// its group could ever approve, and `ControlRuleRecords` stores it. Each change takes the
/// organization's rule lock, checks, writes and records its audit event in one unit of work,
/// so the count of active rules cannot be raced past its limit and no rule changes
/// unrecorded. Rules are under the organization in the path, as the ledger's entities are,
/// so the access guard decides from the path which organizations a caller's grants reach.
enum ControlRuleRoutes {
    static let collection = "/v1/organizations/{organization_id}/control-rules"
    static let item = "\(collection)/{rule_id}"

    /// The body of `POST` and `PATCH`: a draft, in the wire shape `ControlRuleDraft` codes.
    struct Body: StrictDecodable, Encodable {
        let draft: ControlRuleDraft

        init(from decoder: any Decoder) throws { draft = try ControlRuleDraft(from: decoder) }
        func encode(to encoder: any Encoder) throws { try draft.encode(to: encoder) }

        static var shape: BodyShape { .object(ControlRuleDraft.CodingKeys.self) }
    }

    static func register(on router: GuardedRouter, persistence: Persistence, gate: IdempotencyGate, clock: any WallClock, bodyLimit: Int) {
        let ids = IdentifierGenerator(clock: clock)

        router.add(.post, collection, access: .permission(.controlsManage), action: "control_rule.create") { request, context in
            let organizationID = try LedgerHTTP.id(context, "organization_id", "The organization")
            let body = try await BodyReader.decode(Body.self, from: request, limit: bodyLimit)
            let key = try gate.key(for: request, context: context, body: body)
            return try await gate.run(key, requestID: context.requestID) { work in
                let now = clock.now()
                let id = ids.nextText()
                let rule = try body.draft.validated(id: id, version: 1, organizationID: organizationID)
                try ControlRuleAuthority.check(rule, grants: context.principal?.grants ?? .none)
                try await work.controlRules.lock(organizationID: organizationID)
                try await checkReferences(rule, body.draft, in: work, at: now)
                guard try await work.controlRules.countActive(organizationID: organizationID) < ControlRule.maxActivePerOrganization else {
                    throw StrongroomError(
                        .controlRuleLimitReached,
                        "The organization has \(ControlRule.maxActivePerOrganization) active control rules, the most it may have: disable one first."
                    )
                }
                let actor = ControlRoutes.actorName(context)
                let stored = StoredControlRule(
                    id: id, organizationID: organizationID, definition: body.draft, version: 1, active: true, createdAt: now,
                    createdBy: actor, updatedAt: now, updatedBy: actor
                )
                try await work.controlRules.create(stored)
                try context.recordSuccess(in: work, resource: resource(stored), summary: summary(stored))
                return StoredResponse(status: .created, body: try JSONResponse.encode(ControlRuleView(rule: stored)))
            }
        }

        router.add(.get, collection, access: .permission(.controlsManage)) { request, context in
            let organizationID = try LedgerHTTP.id(context, "organization_id", "The organization")
            let limit = try AdminSupport.limit(request)
            let query = request.uri.queryParameters
            var cursor: String?
            if let text = query["cursor"] {
                guard let id = FieldRules.normalizedID(String(text)) else { throw StrongroomError.invalidQuery("cursor", "must be a rule id") }
                cursor = id
            }
            var active: Bool?
            if let text = query["active"] {
                switch text {
                case "true": active = true
                case "false": active = false
                default: throw StrongroomError.invalidQuery("active", "must be true or false")
                }
            }
            try await requireOrganization(organizationID, store: persistence.ledger)
            let rules = try await persistence.controlRules.list(organizationID: organizationID, active: active, after: cursor, limit: limit + 1)
            let items = rules.prefix(limit).map(ControlRuleView.init)
            return try JSONResponse.make(AdminSupport.Page(items: Array(items), nextCursor: rules.count > limit ? items.last?.rule.id : nil))
        }

        router.add(.get, item, access: .permission(.controlsManage)) { request, context in
            let organizationID = try LedgerHTTP.id(context, "organization_id", "The organization")
            let id = try LedgerHTTP.id(context, "rule_id", "The control rule")
            let found: StoredControlRule?
            if let text = request.uri.queryParameters["version"] {
                guard let version = Int(String(text)), version >= 1 else {
                    throw StrongroomError.invalidQuery("version", "must be a whole number from 1")
                }
                found = try await persistence.controlRules.find(id: id, organizationID: organizationID, version: version)
            } else {
                found = try await persistence.controlRules.find(id: id, organizationID: organizationID)
            }
            guard let found else { throw StrongroomError.notFound("The control rule") }
            return try JSONResponse.make(ControlRuleView(rule: found))
        }

        router.add(.patch, item, access: .permission(.controlsManage), action: "control_rule.update") { request, context in
            let organizationID = try LedgerHTTP.id(context, "organization_id", "The organization")
            let id = try LedgerHTTP.id(context, "rule_id", "The control rule")
            let (body, fields) = try await BodyReader.decodeNamingFields(Body.self, from: request, limit: bodyLimit)
            let answer = try await persistence.write { work in
                let now = clock.now()
                try await work.controlRules.lock(organizationID: organizationID)
                let current = try await activeRule(id, organizationID, in: work)
                if let kind = body.draft.kind, kind != current.kind {
                    let message = "cannot change: disable this rule and create another"
                    throw StrongroomError(.invalidValue, "Field 'kind' \(message).", fields: [.init(field: "kind", message: message)])
                }
                let next = current.updated(to: current.definition.merging(body.draft), at: now, by: ControlRoutes.actorName(context))
                let rule = try next.definition.validated(id: id, version: next.version, organizationID: organizationID)
                let grants = context.principal?.grants ?? .none
                // What the rule covered before, and what it will cover: changing a rule
                // takes the authority to have made either.
                if let before = try? current.rule() { try ControlRuleAuthority.check(before, grants: grants) }
                try ControlRuleAuthority.check(rule, grants: grants)
                try await checkReferences(rule, next.definition, in: work, at: now)
                guard try await work.controlRules.update(next) else { throw StrongroomError.notFound("The control rule") }
                var summary = summary(next)
                summary["fields"] = .list(fields)
                try context.recordSuccess(in: work, resource: resource(next), summary: summary)
                return try JSONResponse.encode(ControlRuleView(rule: next))
            }
            return StoredResponse(status: .ok, body: answer).response()
        }

        router.add(.post, "\(item)/disable", access: .permission(.controlsManage), action: "control_rule.disable") { request, context in
            let organizationID = try LedgerHTTP.id(context, "organization_id", "The organization")
            let id = try LedgerHTTP.id(context, "rule_id", "The control rule")
            // No body: the key's digest is of nothing, so every repeat with the key matches.
            let key = try gate.key(for: request, context: context, canonicalBody: [])
            return try await gate.run(key, requestID: context.requestID) { work in
                let now = clock.now()
                try await work.controlRules.lock(organizationID: organizationID)
                let current = try await activeRule(id, organizationID, in: work)
                if let rule = try? current.rule() { try ControlRuleAuthority.check(rule, grants: context.principal?.grants ?? .none) }
                let actor = ControlRoutes.actorName(context)
                guard try await work.controlRules.disable(id: id, organizationID: organizationID, at: now, by: actor) else {
                    throw StrongroomError.notFound("The control rule")
                }
                let disabled = StoredControlRule(
                    id: id, organizationID: organizationID, definition: current.definition, version: current.version, active: false,
                    createdAt: current.createdAt, createdBy: current.createdBy, updatedAt: now, updatedBy: actor
                )
                try context.recordSuccess(in: work, resource: resource(disabled), summary: summary(disabled))
                return StoredResponse(status: .ok, body: try JSONResponse.encode(ControlRuleView(rule: disabled)))
            }
        }
    }

    /// The rule, active, in the organization: 404 when there is none, 409 (SR-3015) when it
    /// is disabled.
    private static func activeRule(_ id: String, _ organizationID: String, in work: UnitOfWork) async throws -> StoredControlRule {
        guard let current = try await work.controlRules.find(id: id, organizationID: organizationID) else {
            throw StrongroomError.notFound("The control rule")
        }
        guard current.active else {
            throw StrongroomError(.controlRuleDisabled, "The control rule is disabled; create another rule instead.")
        }
        return current
    }

    /// What a rule names must exist: its organization (404), its ledger and portfolio in it
    /// (422, SR-2033) and its group (422, SR-1011), and the group must hold enough people to
    /// approve (422, SR-3013). An account alias need not exist yet: a limit may be set up
    /// before the account it limits.
    private static func checkReferences(_ rule: ControlRule, _ draft: ControlRuleDraft, in work: UnitOfWork, at now: Timestamp) async throws {
        let organizationID = rule.scope.organizationID
        try await requireOrganization(organizationID, store: work.ledger)
        if let ledgerID = rule.scope.ledgerID, try await work.ledger.find(Ledger.self, id: ledgerID, in: .organization(organizationID)) == nil {
            throw unknownReference("ledger_id", "names no ledger of this organization")
        }
        if let portfolioID = draft.portfolioID {
            let scope = EntityScope(organizationID: organizationID, ledgerID: rule.scope.ledgerID)
            guard try await work.ledger.find(Portfolio.self, id: portfolioID, in: scope) != nil else {
                throw unknownReference("portfolio_id", "names no portfolio in the rule's scope")
            }
        }
        guard let requirement = rule.effect.requirement else { return }
        guard let members = try await work.controlRules.approvers(inGroup: requirement.group, at: now) else {
            throw StrongroomError.unknownGroups([requirement.group], field: "group")
        }
        // No maker is named: any member may turn out to be one, so one is set aside.
        try requirement.checkEligibleApprovers(among: members)
    }

    private static func requireOrganization(_ id: String, store: any LedgerStore) async throws {
        guard try await store.find(Organization.self, id: id, in: .root) != nil else { throw StrongroomError.notFound("The organization") }
    }

    private static func unknownReference(_ field: String, _ message: String) -> StrongroomError {
        StrongroomError(.unknownReference, "Field '\(field)' \(message).", fields: [.init(field: field, message: message)])
    }

    private static func resource(_ rule: StoredControlRule) -> String { "control_rule:\(rule.id)" }

    /// The audit record names the rule's kind and version: the definition itself is kept,
    /// version by version, in `control_rule_versions`.
    private static func summary(_ rule: StoredControlRule) -> AuditSummary {
        ["kind": .text(rule.kind), "version": .number(Int64(clamping: rule.version)), "active": .text(rule.active ? "true" : "false")]
    }
}
