import Audit
import Bookkeeping
import Controls
import Foundation
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// `POST …/accounts/{id}/freeze` and `/unfreeze`, `POST …/portfolios/{id}/lock` and
/// `/unlock`, `POST …/ledgers/{id}/freeze` and `/unfreeze`: the incident controls of
/// "Controls: what may move" in docs/ARCHITECTURE.md. Each sets or lifts the control, with
/// who, when and why, and records its audit event in the same unit of work, so no control
/// changes unrecorded. The posting engine reads the state with the balances it locks, so
/// nothing here needs to tell another process.
enum ControlRoutes {
    /// One route: which entity it acts on, where, and whether it sets or lifts its control.
    private struct Route {
        let subject: ControlSubject
        let path: String
        let idParameter: String
        let action: String
        let sets: Bool
    }

    private static let routes: [Route] = {
        let ledger = OnboardingRoutes.ledger
        return [
            Route(subject: .account, path: "\(ledger)/accounts/{account_id}/freeze", idParameter: "account_id", action: "account.freeze", sets: true),
            Route(subject: .account, path: "\(ledger)/accounts/{account_id}/unfreeze", idParameter: "account_id", action: "account.unfreeze", sets: false),
            Route(subject: .portfolio, path: "\(ledger)/portfolios/{portfolio_id}/lock", idParameter: "portfolio_id", action: "portfolio.lock", sets: true),
            Route(subject: .portfolio, path: "\(ledger)/portfolios/{portfolio_id}/unlock", idParameter: "portfolio_id", action: "portfolio.unlock", sets: false),
            Route(subject: .ledger, path: "\(ledger)/freeze", idParameter: "ledger_id", action: "ledger.freeze", sets: true),
            Route(subject: .ledger, path: "\(ledger)/unfreeze", idParameter: "ledger_id", action: "ledger.unfreeze", sets: false),
        ]
    }()

    static func register(on router: GuardedRouter, persistence: Persistence, gate: IdempotencyGate, clock: any WallClock, bodyLimit: Int) {
        for route in routes {
            router.add(.post, route.path, access: .permission(.accountsFreeze), action: route.action) { request, context in
                let body = try await BodyReader.decode(ControlRequest.self, from: request, limit: bodyLimit)
                try ControlReason.check(body.reason)
                let what = "The \(route.subject.rawValue)"
                let id = try LedgerHTTP.id(context, route.idParameter, what)
                let scope: EntityScope = route.subject == .ledger
                    ? .organization(try LedgerHTTP.id(context, "organization_id", "The organization"))
                    : .ledger(try LedgerHTTP.ledger(context))
                let key = try gate.key(for: request, context: context, body: body)
                return try await gate.run(key, requestID: context.requestID) { work in
                    let now = clock.now()
                    let record = route.sets ? ControlRecord(reason: body.reason, actor: actorName(context), createdAt: now) : nil
                    guard try await work.ledger.setControl(route.subject, id: id, in: scope, to: record, at: now) else {
                        throw StrongroomError.notFound(what)
                    }
                    try context.recordSuccess(
                        in: work, resource: "\(route.subject.rawValue):\(id)", summary: ["reason": .text(body.reason)]
                    )
                    return StoredResponse(status: .ok, body: try await entity(route.subject, id: id, in: scope, store: work.ledger, what: what))
                }
            }
        }
    }

    /// The entity as it reads after the change, its control included: what `GET` answers.
    private static func entity(_ subject: ControlSubject, id: String, in scope: EntityScope, store: any LedgerStore, what: String) async throws
        -> Data
    {
        let found: (any Encodable)? = switch subject {
        case .account: try await store.find(Account.self, id: id, in: scope)
        case .portfolio: try await store.find(Portfolio.self, id: id, in: scope)
        case .ledger: try await store.find(Ledger.self, id: id, in: scope)
        }
        guard let found else { throw StrongroomError.notFound(what) }
        return try JSONResponse.encode(found)
    }

    /// The caller as the audit trail names it, `kind:id`: who set a control, and who made
    /// or changed a control rule (`ControlRuleRoutes`).
    static func actorName(_ context: AppRequestContext) -> String {
        guard let actor = context.audit?.actor else { return "anonymous" }
        return "\(actor.kind.rawValue):\(actor.id)"
    }
}
