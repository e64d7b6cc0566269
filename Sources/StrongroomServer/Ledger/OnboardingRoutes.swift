import Bookkeeping
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// Organizations, ledgers, assets, portfolios, segments and accounts: Midaz's onboarding
/// routes.
enum OnboardingRoutes {
    static let organizations = "/v1/organizations"
    static let ledgers = "/v1/organizations/{organization_id}/ledgers"
    static let ledger = "/v1/organizations/{organization_id}/ledgers/{ledger_id}"

    /// One row per entity kind: its path, permissions, and how it is created, changed and
    /// deleted (reading, listing and counting are the same for every kind).
    static func table(_ onboarding: Onboarding) -> [any EntityRouteRow] {
        let organizationID: @Sendable (AppRequestContext) throws -> String = { try LedgerHTTP.id($0, "organization_id", "The organization") }
        return [
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
            ),
            EntityRoutes<Ledger, NewLedger, LedgerChanges>(
                collection: ledgers, idParameter: "ledger_id", read: .ledgersRead, write: .ledgersWrite,
                scope: { .organization(try organizationID($0)) },
                parent: { context, store in _ = try await onboarding.organization(try organizationID(context), store: store) },
                create: { body, context, store in try await onboarding.createLedger(body, organizationID: try organizationID(context), store: store) },
                update: { id, changes, context, store in
                    try await onboarding.updateLedger(LedgerRef(organizationID: try organizationID(context), ledgerID: id), changes, store: store)
                },
                delete: { id, context, store in
                    try await onboarding.deleteLedger(LedgerRef(organizationID: try organizationID(context), ledgerID: id), store: store)
                }
            ),
            EntityRoutes<Asset, NewAsset, NamedEntityChanges>.inLedger(
                "assets", idParameter: "asset_id", read: .assetsRead, write: .assetsWrite, onboarding: onboarding,
                create: { try await onboarding.createAsset($0, in: $1, store: $2) },
                update: { try await onboarding.updateAsset($0, in: $1, $2, store: $3) },
                delete: { try await onboarding.deleteAsset($0, in: $1, store: $2) }
            ),
            EntityRoutes<Portfolio, NewPortfolio, PortfolioInput>.inLedger(
                "portfolios", idParameter: "portfolio_id", read: .portfoliosRead, write: .portfoliosWrite, onboarding: onboarding,
                create: { try await onboarding.createPortfolio($0.input, in: $1, store: $2) },
                update: { try await onboarding.updatePortfolio($0, in: $1, $2, store: $3) },
                delete: { try await onboarding.deleteGrouping(Portfolio.self, id: $0, in: $1, store: $2) }
            ),
            EntityRoutes<Segment, NewNamedEntity, NamedEntityChanges>.inLedger(
                "segments", idParameter: "segment_id", read: .segmentsRead, write: .segmentsWrite, onboarding: onboarding,
                create: { try await onboarding.createSegment($0, in: $1, store: $2) },
                update: { try await onboarding.updateSegment($0, in: $1, $2, store: $3) },
                delete: { try await onboarding.deleteGrouping(Segment.self, id: $0, in: $1, store: $2) }
            ),
            EntityRoutes<Account, NewAccount, AccountChanges>.inLedger(
                "accounts", idParameter: "account_id", read: .accountsRead, write: .accountsWrite, onboarding: onboarding,
                create: { try await onboarding.createAccount($0, in: $1, store: $2) },
                update: { try await onboarding.updateAccount($0, in: $1, $2, store: $3) },
                delete: { try await onboarding.deleteAccount($0, in: $1, store: $2) }
            ),
        ]
    }

    static func register(on routes: GuardedRouter, services: LedgerServices) {
        for row in table(services.onboarding) { row.register(on: routes, services: services) }

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
