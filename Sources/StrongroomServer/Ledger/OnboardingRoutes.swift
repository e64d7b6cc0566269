import Bookkeeping
import Hummingbird
import Identity
import Storage
import StrongroomKernel

/// Organizations, ledgers, assets, portfolios, segments and accounts: Midaz's onboarding
/// routes.
enum OnboardingRoutes {
    static let organizations = "/v1/organizations"
    static let ledgers = "/v1/organizations/{organization_id}/ledgers"
    static let ledger = "/v1/organizations/{organization_id}/ledgers/{ledger_id}"

    static func register(on routes: GuardedRouter, services: LedgerServices) {
        let onboarding = services.onboarding
        let inLedger: @Sendable (AppRequestContext) throws -> EntityScope = { .ledger(try LedgerHTTP.ledger($0)) }
        let ledgerExists: @Sendable (AppRequestContext, any LedgerStore) async throws -> Void = { context, store in
            _ = try await onboarding.ledger(try LedgerHTTP.ledger(context), store: store)
        }

        EntityRoutes<Organization, NewOrganization, OrganizationChanges>(
            collection: organizations, idParameter: "organization_id", read: .organizationsRead, write: .organizationsWrite,
            scope: { context in .root(visible: context.principal?.grants.organizations(for: .organizationsRead)) },
            parent: { _, _ in },
            create: { body, _, store in try await onboarding.createOrganization(body, store: store) },
            update: { id, changes, context, store in
                // A new parent is a second organization the change reaches: the caller must
                // hold the write permission there too.
                if let parent = changes.parentOrganizationID {
                    try context.requirePermission(.organizationsWrite, on: AccessTarget(organizationID: parent, ledgerID: nil))
                }
                return try await onboarding.updateOrganization(id, changes, store: store)
            },
            delete: { id, _, store in try await onboarding.deleteOrganization(id, store: store) }
        ).register(on: routes, services: services)

        EntityRoutes<Ledger, NewNamedEntity, NamedEntityChanges>(
            collection: ledgers, idParameter: "ledger_id", read: .ledgersRead, write: .ledgersWrite,
            scope: { .organization(try LedgerHTTP.id($0, "organization_id", "The organization")) },
            parent: { context, store in
                _ = try await onboarding.organization(try LedgerHTTP.id(context, "organization_id", "The organization"), store: store)
            },
            create: { body, context, store in
                try await onboarding.createLedger(body, organizationID: try LedgerHTTP.id(context, "organization_id", "The organization"), store: store)
            },
            update: { id, changes, context, store in
                try await onboarding.updateLedger(
                    LedgerRef(organizationID: try LedgerHTTP.id(context, "organization_id", "The organization"), ledgerID: id), changes, store: store
                )
            },
            delete: { id, context, store in
                try await onboarding.deleteLedger(
                    LedgerRef(organizationID: try LedgerHTTP.id(context, "organization_id", "The organization"), ledgerID: id), store: store
                )
            }
        ).register(on: routes, services: services)

        EntityRoutes<Asset, NewAsset, NamedEntityChanges>(
            collection: "\(ledger)/assets", idParameter: "asset_id", read: .assetsRead, write: .assetsWrite,
            scope: inLedger, parent: ledgerExists,
            create: { body, context, store in try await onboarding.createAsset(body, in: try LedgerHTTP.ledger(context), store: store) },
            update: { id, changes, context, store in
                try await onboarding.updateAsset(id, in: try LedgerHTTP.ledger(context), changes, store: store)
            },
            delete: { id, context, store in try await onboarding.deleteAsset(id, in: try LedgerHTTP.ledger(context), store: store) }
        ).register(on: routes, services: services)

        EntityRoutes<Portfolio, NewPortfolio, PortfolioInput>(
            collection: "\(ledger)/portfolios", idParameter: "portfolio_id", read: .portfoliosRead, write: .portfoliosWrite,
            scope: inLedger, parent: ledgerExists,
            create: { body, context, store in
                try await onboarding.createPortfolio(body.input, in: try LedgerHTTP.ledger(context), store: store)
            },
            update: { id, changes, context, store in
                try await onboarding.updatePortfolio(id, in: try LedgerHTTP.ledger(context), changes, store: store)
            },
            delete: { id, context, store in
                try await onboarding.deleteGrouping(Portfolio.self, id: id, in: try LedgerHTTP.ledger(context), store: store)
            }
        ).register(on: routes, services: services)

        EntityRoutes<Segment, NewNamedEntity, NamedEntityChanges>(
            collection: "\(ledger)/segments", idParameter: "segment_id", read: .segmentsRead, write: .segmentsWrite,
            scope: inLedger, parent: ledgerExists,
            create: { body, context, store in try await onboarding.createSegment(body, in: try LedgerHTTP.ledger(context), store: store) },
            update: { id, changes, context, store in
                try await onboarding.updateSegment(id, in: try LedgerHTTP.ledger(context), changes, store: store)
            },
            delete: { id, context, store in
                try await onboarding.deleteGrouping(Segment.self, id: id, in: try LedgerHTTP.ledger(context), store: store)
            }
        ).register(on: routes, services: services)

        EntityRoutes<Account, NewAccount, AccountChanges>(
            collection: "\(ledger)/accounts", idParameter: "account_id", read: .accountsRead, write: .accountsWrite,
            scope: inLedger, parent: ledgerExists,
            create: { body, context, store in try await onboarding.createAccount(body, in: try LedgerHTTP.ledger(context), store: store) },
            update: { id, changes, context, store in
                try await onboarding.updateAccount(id, in: try LedgerHTTP.ledger(context), changes, store: store)
            },
            delete: { id, context, store in try await onboarding.deleteAccount(id, in: try LedgerHTTP.ledger(context), store: store) }
        ).register(on: routes, services: services)

        let persistence = services.persistence
        routes.add(.get, "\(ledger)/accounts/alias/{alias}", access: .permission(.accountsRead)) { _, context in
            try JSONResponse.make(try await account(alias: try LedgerHTTP.text(context, "alias", "The account"), context, persistence))
        }
        routes.add(.get, "\(ledger)/accounts/external/{code}", access: .permission(.accountsRead)) { _, context in
            let code = try LedgerHTTP.text(context, "code", "The account")
            return try JSONResponse.make(try await account(alias: Asset.externalAlias(code: code), context, persistence))
        }
    }

    /// The live account with this alias in the path's ledger, or 404.
    static func account(alias: String, _ context: AppRequestContext, _ persistence: Persistence) async throws -> Account {
        guard let account = try await persistence.ledger.account(alias: alias, in: try LedgerHTTP.ledger(context)) else {
            throw StrongroomError.notFound("The account")
        }
        return account
    }
}
