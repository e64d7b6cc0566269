import Audit
import Bookkeeping
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// Balances: per account (by id, alias or external code), per ledger, and one by id, whose
/// settings (never its money) a PATCH changes.
enum BalanceRoutes {
    static func register(on routes: GuardedRouter, services: LedgerServices) {
        let ledger = OnboardingRoutes.ledger
        let persistence = services.persistence
        let onboarding = services.onboarding

        @Sendable func list(accountID: String?, _ request: Request, _ context: AppRequestContext) async throws -> Response {
            let query = try LedgerHTTP.cursorQuery(request, allowMetadata: false)
            let ref = try LedgerHTTP.ledger(context)
            if accountID == nil { _ = try await onboarding.ledger(ref, store: persistence.ledger) }
            let page = try await persistence.ledger.balances(accountID: accountID, in: ref, query: query)
            return try JSONResponse.make(LedgerHTTP.CursorAnswer(page, limit: query.limit))
        }

        routes.add(.get, "\(ledger)/accounts/{account_id}/balances", access: .permission(.balancesRead)) { request, context in
            let id = try LedgerHTTP.id(context, "account_id", "The account")
            let account = try await onboarding.entity(Account.self, id: id, in: try LedgerHTTP.ledger(context), store: persistence.ledger)
            return try await list(accountID: account.id, request, context)
        }
        routes.add(.get, "\(ledger)/accounts/alias/{alias}/balances", access: .permission(.balancesRead)) { request, context in
            let alias = try LedgerHTTP.text(context, "alias", "The account")
            return try await list(accountID: try await OnboardingRoutes.account(alias: alias, context, persistence).id, request, context)
        }
        routes.add(.get, "\(ledger)/accounts/external/{code}/balances", access: .permission(.balancesRead)) { request, context in
            let alias = Asset.externalAlias(code: try LedgerHTTP.text(context, "code", "The account"))
            return try await list(accountID: try await OnboardingRoutes.account(alias: alias, context, persistence).id, request, context)
        }
        routes.add(.get, "\(ledger)/balances", access: .permission(.balancesRead)) { request, context in
            try await list(accountID: nil, request, context)
        }

        let item = "\(ledger)/balances/{balance_id}"
        routes.add(.get, item, access: .permission(.balancesRead)) { _, context in
            let id = try LedgerHTTP.id(context, "balance_id", "The balance")
            return try JSONResponse.make(try await onboarding.balance(id, in: try LedgerHTTP.ledger(context), store: persistence.ledger))
        }
        routes.add(.patch, item, access: .permission(.balancesWrite), action: "balance.update") { request, context in
            let id = try LedgerHTTP.id(context, "balance_id", "The balance")
            let (changes, fields) = try await BodyReader.decodeNamingFields(BalanceChanges.self, from: request, limit: services.bodyLimit)
            let ref = try LedgerHTTP.ledger(context)
            let balance = try await persistence.write { work in
                let balance = try await onboarding.updateBalance(id, in: ref, changes, store: work.ledger)
                try context.recordSuccess(in: work, resource: "balance:\(id)", summary: ["fields": .list(fields)])
                return balance
            }
            return try JSONResponse.make(balance)
        }
        routes.add(.delete, item, access: .permission(.balancesWrite), action: "balance.delete") { _, context in
            let id = try LedgerHTTP.id(context, "balance_id", "The balance")
            let ref = try LedgerHTTP.ledger(context)
            try await persistence.write { work in
                try await onboarding.deleteBalance(id, in: ref, store: work.ledger)
                try context.recordSuccess(in: work, resource: "balance:\(id)")
            }
            return Response(status: .noContent)
        }
    }
}
