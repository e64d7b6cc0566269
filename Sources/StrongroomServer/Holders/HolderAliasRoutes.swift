import Audit
import Bookkeeping
import Foundation
import Holders
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// Holder aliases, Midaz's CRM shape (issue 29, items 1 and 5): each links a holder to an
/// account of a ledger of the same organization, with the account's bank details. Every
/// route names its organization in `X-Organization-Id`; reads take `holders:read`, changes
/// `holders:write`, and each change writes its audit record in its unit of work.
///
/// The server composes what the `Holders` module may not: the holder must be a live holder
/// of the organization (`HolderRecords`), the ledger and the account must be the
/// organization's (the ledger's store), and the ledger's `bankDetails` setting decides
/// whether the alias carries checked UK details (`AliasBankDetailsRule`). On such a ledger a
/// create that gives a sort code and no account number gets an account number allocated
/// (`AccountNumberAllocator`): drawn at random among those that pass the check, skipping
/// those a live alias holds, and drawn again when a concurrent create took the same one
/// first (the unique index says so).
///
/// Related parties (people's names and documents) are sealed under the holder's data key as
/// one field of the holder (`AliasRelatedParties`), written in the alias's unit of work, so an
/// erasure of the holder destroys them. Reads mask each party's name and document;
/// `?unmasked=true&reason=…` shows them in clear as the holder routes do (`HolderReadMode`,
/// `holders:read-pii` through the access decision, a `holder.read_pii` record committed
/// first). A create's idempotent answer is stored masked and sealed.
enum HolderAliasRoutes {
    /// The holder's id is `{id}`, as in the holder routes' `/v1/holders/{id}` (the router
    /// takes one name per path segment); Midaz's document calls it `{holder_id}` here.
    static let collection = "/v1/holders/{id}/aliases"
    static let item = "\(collection)/{alias_id}"
    static let list = "/v1/aliases"
    static let relatedParty = "\(item)/related-parties/{related_party_id}"
    /// Numbers drawn before an allocation gives up because every one was taken.
    static let maxAllocationDraws = 64
    /// Whole creates tried again when the allocated number was taken by a concurrent one.
    static let maxAllocationRetries = 4

    static func register(
        on router: GuardedRouter, persistence: Persistence, keyring: HolderKeyring, gate: IdempotencyGate, checker: ModulusChecker,
        clock: any WallClock, bodyLimit: Int
    ) {
        let ids = IdentifierGenerator(clock: clock)
        let rule = AliasBankDetailsRule(checker: checker)

        router.add(
            .post, collection, access: .permission(.holdersWrite), action: "holder_alias.create", organizationInHeader: true
        ) { request, context in
            let organizationID = try organization(context)
            let holderID = try LedgerHTTP.id(context, "id", "The holder")
            let body = try await BodyReader.decode(CreateAliasRequest.self, from: request, limit: bodyLimit)
            let key = try gate.key(for: request, context: context, body: body)
            let parties = try RelatedParty.validated(body.relatedParties ?? [], field: "relatedParties", nextID: ids.nextText)
            try body.metadata?.validate()
            // No keys, no holder: the create answers 404 from its unit of work.
            let provider = try await keyring.provider(organizationID: organizationID)
            return try await gate.run(key, requestID: context.requestID) { claim in
                var attempts = 0
                while true {
                    attempts += 1
                    do {
                        return try await persistence.write { work in
                            let answer = try await create(
                                body, parties: parties, holderID: holderID, organizationID: organizationID, id: ids.nextText(), rule: rule,
                                provider: provider, in: work, context: context, now: clock.now()
                            )
                            try gate.store(answer.response, under: claim, in: work)
                            return answer.response
                        } as StoredResponse
                    } catch let taken as HolderAliasRecords.BankDetailsTaken {
                        // Only an allocated number is drawn again; details the client chose stay taken.
                        guard body.bankingDetails?.account == nil, attempts < maxAllocationRetries else { throw conflict(taken) }
                    }
                }
            }
        }

        router.add(.get, item, access: .permission(.holdersRead), organizationInHeader: true) { request, context in
            let organizationID = try organization(context)
            let holderID = try LedgerHTTP.id(context, "id", "The holder")
            let id = try LedgerHTTP.id(context, "alias_id", "The alias")
            let includeDeleted = try flag(request, "include_deleted")
            let mode = try HolderRoutes.readMode(request)
            try HolderRoutes.requireUnmaskedAccess(mode, context, clock: clock)
            guard let alias = try await persistence.holderAliases.find(
                id: id, holderID: holderID, organizationID: organizationID, includeDeleted: includeDeleted
            ) else { throw StrongroomError.notFound("The alias") }
            let views = try await views(of: [alias], mode: mode, organizationID: organizationID, keyring: keyring, persistence: persistence)
            try await recordUnmaskedRead(
                views, mode: mode, resource: HolderAudit.resource(holderID: holderID), organizationID: organizationID, context: context,
                persistence: persistence
            )
            return try JSONResponse.make(views[0])
        }

        router.add(.get, list, access: .permission(.holdersRead), organizationInHeader: true) { request, context in
            let organizationID = try organization(context)
            let limit = try AdminSupport.limit(request)
            let mode = try HolderRoutes.readMode(request)
            if !mode.isMasked, limit > HolderReadMode.maxUnmaskedPage {
                throw StrongroomError.invalidQuery("limit", "must be at most \(HolderReadMode.maxUnmaskedPage) on an unmasked read")
            }
            try HolderRoutes.requireUnmaskedAccess(mode, context, clock: clock)
            var filter = HolderAliasRecords.Filter(includeDeleted: try flag(request, "include_deleted"))
            filter.holderID = try queryID(request, "holder_id")
            filter.ledgerID = try queryID(request, "ledger_id")
            filter.accountID = try queryID(request, "account_id")
            let cursor = try queryID(request, "cursor")
            let aliases = try await persistence.holderAliases.list(organizationID: organizationID, filter: filter, after: cursor, limit: limit + 1)
            let items = try await views(
                of: Array(aliases.prefix(limit)), mode: mode, organizationID: organizationID, keyring: keyring, persistence: persistence
            )
            try await recordUnmaskedRead(
                items, mode: mode, resource: HolderAudit.listResource(organizationID: organizationID), organizationID: organizationID,
                context: context, persistence: persistence
            )
            return try JSONResponse.make(AdminSupport.Page(items: items, nextCursor: aliases.count > limit ? items.last?.alias.id : nil))
        }

        router.add(
            .patch, item, access: .permission(.holdersWrite), action: "holder_alias.update", organizationInHeader: true
        ) { request, context in
            let organizationID = try organization(context)
            let holderID = try LedgerHTTP.id(context, "id", "The holder")
            let id = try LedgerHTTP.id(context, "alias_id", "The alias")
            let (body, fields) = try await BodyReader.decodeNamingFields(UpdateAliasRequest.self, from: request, limit: bodyLimit)
            let parties = try body.relatedParties.map { inputs throws(StrongroomError) in
                try RelatedParty.validated(inputs, field: "relatedParties", nextID: ids.nextText)
            }
            try body.metadata?.validate()
            let provider = try await keyring.provider(organizationID: organizationID)
            do {
                let answer = try await persistence.write { work in
                    guard var alias = try await work.holderAliases.find(id: id, holderID: holderID, organizationID: organizationID) else {
                        throw StrongroomError.notFound("The alias")
                    }
                    if let change = body.bankingDetails {
                        let ledger = try await work.ledger.find(Ledger.self, id: alias.ledgerID, in: .organization(organizationID))
                        let merged = AliasBankingDetails(stored: alias.bankDetails).merging(change)
                        guard case .ready(let details) = try rule.resolve(
                            merged, ukLedger: ledger?.settings?.requiresUKBankDetails ?? false, allowAllocation: false
                        ) else { throw StrongroomError.notFound("The alias") }
                        alias.bankDetails = details
                    }
                    if let metadata = body.metadata { alias.metadata = metadata.json }
                    alias.updatedAt = clock.now()
                    guard try await work.holderAliases.update(alias) else { throw StrongroomError.notFound("The alias") }
                    let holder = try await liveHolder(of: alias, in: work)
                    if let parties {
                        try await AliasRelatedParties.write(parties, aliasID: alias.id, holder: holder, provider: provider, in: work)
                    }
                    let shown = try parties ?? AliasRelatedParties.open(aliasID: alias.id, holder: holder, provider: provider)
                    var summary = summary(alias)
                    summary["fields"] = .list(fields)
                    try context.recordSuccess(in: work, resource: resource(alias), summary: summary)
                    return try JSONResponse.encode(HolderAliasView(alias: alias, relatedParties: shown.map { $0.shown(masked: true) }))
                }
                return StoredResponse(status: .ok, body: answer).response()
            } catch let taken as HolderAliasRecords.BankDetailsTaken {
                throw conflict(taken)
            }
        }

        router.add(
            .delete, item, access: .permission(.holdersWrite), action: "holder_alias.delete", organizationInHeader: true
        ) { _, context in
            let organizationID = try organization(context)
            let holderID = try LedgerHTTP.id(context, "id", "The holder")
            let id = try LedgerHTTP.id(context, "alias_id", "The alias")
            try await persistence.write { work in
                guard let alias = try await work.holderAliases.find(id: id, holderID: holderID, organizationID: organizationID),
                      try await work.holderAliases.softDelete(id: id, holderID: holderID, organizationID: organizationID, at: clock.now())
                else { throw StrongroomError.notFound("The alias") }
                try context.recordSuccess(in: work, resource: resource(alias), summary: summary(alias))
            }
            return Response(status: .noContent)
        }

        // Midaz's hard delete of one related party: the list is sealed again without it.
        router.add(
            .delete, relatedParty, access: .permission(.holdersWrite), action: "holder_alias.related_party.delete",
            organizationInHeader: true
        ) { _, context in
            let organizationID = try organization(context)
            let holderID = try LedgerHTTP.id(context, "id", "The holder")
            let id = try LedgerHTTP.id(context, "alias_id", "The alias")
            let partyID = try LedgerHTTP.id(context, "related_party_id", "The related party")
            let provider = try await keyring.provider(organizationID: organizationID)
            try await persistence.write { work in
                guard var alias = try await work.holderAliases.find(id: id, holderID: holderID, organizationID: organizationID) else {
                    throw StrongroomError.notFound("The alias")
                }
                // Updating the alias's row first takes its lock, so a PATCH of the same alias
                // and this removal take turns rather than both rewriting the sealed list.
                alias.updatedAt = clock.now()
                guard try await work.holderAliases.update(alias) else { throw StrongroomError.notFound("The alias") }
                let holder = try await liveHolder(of: alias, in: work)
                var parties = try AliasRelatedParties.open(aliasID: alias.id, holder: holder, provider: provider)
                guard let index = parties.firstIndex(where: { $0.id == partyID }) else { throw StrongroomError.notFound("The related party") }
                parties.remove(at: index)
                try await AliasRelatedParties.write(parties, aliasID: alias.id, holder: holder, provider: provider, in: work)
                var summary = summary(alias)
                summary["related_party_id"] = .text(partyID)
                try context.recordSuccess(in: work, resource: resource(alias), summary: summary)
            }
            return Response(status: .noContent)
        }
    }

    // MARK: Related parties

    /// The alias's holder, live (not deleted, not erased): whose key seals its parties.
    private static func liveHolder(of alias: StoredHolderAlias, in work: UnitOfWork) async throws -> StoredHolder {
        guard let holder = try await work.holders.find(id: alias.holderID, organizationID: alias.organizationID) else {
            throw StrongroomError.notFound("The holder")
        }
        return holder
    }

    /// The aliases as answered, each with its parties opened from its holder (read once per
    /// holder; a deleted holder's too, an erased one has none) and masked unless `mode` is
    /// unmasked.
    private static func views(
        of aliases: [StoredHolderAlias], mode: HolderReadMode, organizationID: String, keyring: HolderKeyring, persistence: Persistence
    ) async throws -> [HolderAliasView] {
        guard !aliases.isEmpty else { return [] }
        let provider = try await keyring.provider(organizationID: organizationID)
        var holders: [String: StoredHolder] = [:]
        var views: [HolderAliasView] = []
        for alias in aliases {
            if holders[alias.holderID] == nil {
                holders[alias.holderID] = try await persistence.holders.find(id: alias.holderID, organizationID: organizationID, includeDeleted: true)
            }
            let parties = try holders[alias.holderID].map { try AliasRelatedParties.open(aliasID: alias.id, holder: $0, provider: provider) } ?? []
            views.append(HolderAliasView(alias: alias, relatedParties: parties.map { $0.shown(masked: mode.isMasked) }))
        }
        return views
    }

    /// An unmasked read's `holder.read_pii` record, committed before the answer leaves
    /// (`HolderRoutes.recordUnmaskedRead`); a masked read records nothing.
    private static func recordUnmaskedRead(
        _ views: [HolderAliasView], mode: HolderReadMode, resource: String, organizationID: String, context: AppRequestContext,
        persistence: Persistence
    ) async throws {
        guard case .unmasked(let reason) = mode else { return }
        let read = views.filter { !$0.relatedParties.isEmpty }
        try await HolderRoutes.recordUnmaskedRead(
            holderIDs: Array(Set(read.map(\.alias.holderID))).sorted(),
            fields: read.map { AliasRelatedParties.fieldName(aliasID: $0.alias.id).rawValue }.sorted(), reason: reason,
            resource: resource, organizationID: organizationID, context: context, persistence: persistence
        )
    }

    /// The create's checks and write, in its unit of work: the holder (404), the ledger and
    /// the account (422, SR-2033), the bank details (`AliasBankDetailsRule`), then the row
    /// and its sealed related parties.
    private static func create(
        _ body: CreateAliasRequest, parties: [RelatedParty], holderID: String, organizationID: String, id: String,
        rule: AliasBankDetailsRule, provider: (any HolderKeyProvider)?, in work: UnitOfWork, context: AppRequestContext, now: Timestamp
    ) async throws -> (response: StoredResponse, alias: StoredHolderAlias) {
        guard let holder = try await work.holders.find(id: holderID, organizationID: organizationID) else {
            throw StrongroomError.notFound("The holder")
        }
        guard let ledgerID = FieldRules.normalizedID(body.ledgerId),
              let ledger = try await work.ledger.find(Ledger.self, id: ledgerID, in: .organization(organizationID))
        else { throw unknownReference("ledgerId", "names no ledger of this organization") }
        let ref = LedgerRef(organizationID: organizationID, ledgerID: ledgerID)
        guard let accountID = FieldRules.normalizedID(body.accountId), try await work.ledger.find(Account.self, id: accountID, in: .ledger(ref)) != nil else {
            throw unknownReference("accountId", "names no account of the ledger")
        }
        var details: StoredHolderAlias.BankDetails
        switch try rule.resolve(body.bankingDetails, ukLedger: ledger.settings?.requiresUKBankDetails ?? false, allowAllocation: true) {
        case .ready(let ready):
            details = ready
        case .allocate(let sortCode, let partial):
            details = partial
            details.accountNumber = try await allocate(under: sortCode, checker: rule.checker, in: work).description
        }
        let alias = StoredHolderAlias(
            id: id, organizationID: organizationID, holderID: holderID, ledgerID: ledgerID, accountID: accountID, bankDetails: details,
            metadata: (body.metadata ?? Metadata()).json, createdAt: now, updatedAt: now
        )
        try await work.holderAliases.insert(alias)
        try await AliasRelatedParties.write(parties, aliasID: id, holder: holder, provider: provider, in: work)
        var summary = summary(alias)
        summary["allocated"] = .text(body.bankingDetails?.account == nil && details.accountNumber != nil ? "true" : "false")
        try context.recordSuccess(in: work, resource: resource(alias), summary: summary)
        // Stored for a replay as the holder routes store theirs: masked, and sealed.
        let view = HolderAliasView(alias: alias, relatedParties: parties.map { $0.shown(masked: true) })
        return (try StoredResponse.json(view, status: .created, confidential: true), alias)
    }

    /// A passing account number under `sortCode` that no live alias holds. A concurrent
    /// create may still take it before this one commits: the insert then fails on the unique
    /// index and the create runs again.
    private static func allocate(under sortCode: SortCode, checker: ModulusChecker, in work: UnitOfWork) async throws -> UKAccountNumber {
        let allocator: AccountNumberAllocator
        do {
            allocator = try AccountNumberAllocator(checker: checker, sortCode: sortCode)
        } catch {
            throw StrongroomError(.unknownSortCode, "The sort code is not covered by the modulus tables: no account number can be allocated.")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<maxAllocationDraws {
            guard let number = try? allocator.random(using: &generator) else { break }
            if try await !work.holderAliases.isTaken(sortCode: sortCode.description, accountNumber: number.description) { return number }
        }
        throw StrongroomError(
            .bankDetailsTaken, "No free account number passing the check was found for this sort code; give one or try again."
        )
    }

    private static func organization(_ context: AppRequestContext) throws -> String {
        // The guard has required and checked it before the handler runs.
        guard let id = context.headerOrganizationID else { throw StrongroomError(.organizationHeader, "X-Organization-Id is required.") }
        return id
    }

    private static func queryID(_ request: Request, _ name: String) throws -> String? {
        guard let text = request.uri.queryParameters[name[...]] else { return nil }
        guard let id = FieldRules.normalizedID(String(text)) else { throw StrongroomError.invalidQuery(name, "must be an id") }
        return id
    }

    private static func flag(_ request: Request, _ name: String) throws -> Bool {
        switch request.uri.queryParameters[name[...]] {
        case nil, "false": false
        case "true": true
        default: throw StrongroomError.invalidQuery(name, "must be true or false")
        }
    }

    private static func conflict(_ taken: HolderAliasRecords.BankDetailsTaken) -> StrongroomError {
        StrongroomError(.bankDetailsTaken, "Another alias already holds this sort code and account number.")
    }

    private static func unknownReference(_ field: String, _ message: String) -> StrongroomError {
        StrongroomError(.unknownReference, "Field '\(field)' \(message).", fields: [.init(field: field, message: message)])
    }

    private static func resource(_ alias: StoredHolderAlias) -> String { "holder_alias:\(alias.id)" }

    /// The audit record names what the alias links, never its bank details.
    private static func summary(_ alias: StoredHolderAlias) -> AuditSummary {
        ["holder_id": .text(alias.holderID), "ledger_id": .text(alias.ledgerID), "account_id": .text(alias.accountID)]
    }
}
