import Audit
import Bookkeeping
import Foundation
import Holders
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// `/v1/holders` and `/v1/holders/{id}`: account holders in Midaz CRM's shapes (issue 29,
/// items 1 to 3; "Holders: personal data sealed field by field" in docs/ARCHITECTURE.md).
/// Every route names its organization in `X-Organization-Id`, which the guard checks against
/// the caller's scope; the organization must exist (404 otherwise).
///
/// - `POST` (`holders:write`, `holder.create`): validates (`HolderBody`), makes the
///   organization's keys on its first holder (`HolderKeyring`), seals every personal field
///   under a new data key and stores the blind-index terms of the document and primary email.
///   Idempotent with a key: what is stored for a replay is the masked answer, sealed under
///   the master key as every confidential answer is, so the idempotency table never holds
///   a personal value, and a replay answers the same masked 201.
/// - `GET` a page (`limit`, `cursor`; `external_id`, `document` and `email` filters, the last
///   two through the blind index; `include_deleted`) or one holder (`include_deleted`).
/// - `PATCH` (`holders:write`, `holder.update`) merges field by field; `DELETE`
///   (`holders:write`, `holder.delete`) soft-deletes, 204. Midaz's `hard_delete=true` is
///   refused: removing a person's data is erasure (`POST /v1/holders/{id}/erase`).
///
/// Reads are masked (`HolderField.masked`). `?unmasked=true&reason=…` (`HolderReadMode`)
/// answers clear values only to a caller the access decision allows `holders:read-pii` on the
/// organization (a sensitive permission: step-up), at most 100 holders a page, and only once
/// the read's `holder.read_pii` record (who, which holders, which fields, the reason) has
/// committed to the audit chain: if it cannot be recorded, nothing is answered.
enum HolderRoutes {
    static let collection = "/v1/holders"
    static let item = "/v1/holders/{id}"
    /// The longest text a list filter may hold; nothing stored is longer.
    static let maxFilterLength = 256

    static func register(
        on router: GuardedRouter, persistence: Persistence, keyring: HolderKeyring, gate: IdempotencyGate, clock: any WallClock,
        bodyLimit: Int
    ) {
        let ids = IdentifierGenerator(clock: clock)

        router.add(.post, collection, access: .permission(.holdersWrite), action: HolderAudit.create, organizationInHeader: true) { request, context in
            let organizationID = try organization(context)
            let create = try await BodyReader.decode(HolderBody.Create.self, from: request, limit: bodyLimit)
            let body = create.body
            let key = try gate.key(for: request, context: context, body: create)
            let kind = try body.kind()
            try body.validate(creating: true, kind: kind)
            try await requireOrganization(organizationID, persistence)
            let provider = try await keyring.provisionedProvider(organizationID: organizationID)
            return try await gate.run(key, requestID: context.requestID) { work in
                let now = clock.now()
                let holder = try sealed(body, id: ids.nextText(), organizationID: organizationID, kind: kind, provider: provider, at: now)
                try await work.holders.insert(holder)
                let fields = holder.fields.keys.map(\.rawValue).sorted()
                try context.recordSuccess(
                    in: work, resource: HolderAudit.resource(holderID: holder.id),
                    summary: HolderAudit.summary(organizationID: organizationID, ["type": .text(kind.rawValue), "fields": .list(fields)])
                )
                let view = try HolderView.reading(holder, provider: provider, masked: true)
                return try StoredResponse.json(view, status: .created, confidential: true)
            }
        }

        router.add(.get, collection, access: .permission(.holdersRead), organizationInHeader: true) { request, context in
            let organizationID = try organization(context)
            let query = request.uri.queryParameters
            let mode = try readMode(request)
            let limit = try AdminSupport.limit(request)
            if !mode.isMasked, limit > HolderReadMode.maxUnmaskedPage {
                throw StrongroomError.invalidQuery("limit", "must be at most \(HolderReadMode.maxUnmaskedPage) on an unmasked read")
            }
            var cursor: String?
            if let text = query["cursor"] {
                guard let id = FieldRules.normalizedID(String(text)) else { throw StrongroomError.invalidQuery("cursor", "must be a holder id") }
                cursor = id
            }
            var filter = HolderRecords.Filter(externalID: try filterText(request, "external_id"), includeDeleted: try includeDeleted(request))
            let document = try filterText(request, "document")
            let email = try filterText(request, "email")
            try requireUnmaskedAccess(mode, context, clock: clock)
            try await requireOrganization(organizationID, persistence)
            let provider = try await keyring.provider(organizationID: organizationID)
            var holders: [StoredHolder] = []
            // Without keys the organization has no holders, and no term to look up.
            if let provider {
                let index = try provider.blindIndex(organizationID: organizationID)
                filter.documentTerm = document.map { index.term($0, as: .document) }
                filter.emailTerm = email.map { index.term($0, as: .email) }
                holders = try await persistence.holders.list(organizationID: organizationID, filter: filter, after: cursor, limit: limit + 1)
            }
            let page = Array(holders.prefix(limit))
            let views = try page.map { try HolderView.reading($0, provider: provider, masked: mode.isMasked) }
            if case .unmasked(let reason) = mode {
                try await recordUnmaskedRead(
                    views, reason: reason, resource: HolderAudit.listResource(organizationID: organizationID),
                    organizationID: organizationID, context: context, persistence: persistence
                )
            }
            return try JSONResponse.make(AdminSupport.Page(items: views, nextCursor: holders.count > limit ? page.last?.id : nil))
        }

        router.add(.get, item, access: .permission(.holdersRead), organizationInHeader: true) { request, context in
            let organizationID = try organization(context)
            let id = try LedgerHTTP.id(context, "id", "The holder")
            let mode = try readMode(request)
            let deleted = try includeDeleted(request)
            try requireUnmaskedAccess(mode, context, clock: clock)
            try await requireOrganization(organizationID, persistence)
            guard let holder = try await persistence.holders.find(id: id, organizationID: organizationID, includeDeleted: deleted) else {
                throw StrongroomError.notFound("The holder")
            }
            let provider = try await keyring.provider(organizationID: organizationID)
            let view = try HolderView.reading(holder, provider: provider, masked: mode.isMasked)
            if case .unmasked(let reason) = mode {
                try await recordUnmaskedRead(
                    [view], reason: reason, resource: HolderAudit.resource(holderID: id), organizationID: organizationID,
                    context: context, persistence: persistence
                )
            }
            return try JSONResponse.make(view)
        }

        router.add(.patch, item, access: .permission(.holdersWrite), action: HolderAudit.update, organizationInHeader: true) { request, context in
            let organizationID = try organization(context)
            let id = try LedgerHTTP.id(context, "id", "The holder")
            let body = try await BodyReader.decode(HolderBody.Change.self, from: request, limit: bodyLimit).body
            try await requireOrganization(organizationID, persistence)
            // An organization without keys has no holder to change.
            guard let provider = try await keyring.provider(organizationID: organizationID) else { throw StrongroomError.notFound("The holder") }
            let answer = try await persistence.write { work in
                guard let current = try await work.holders.find(id: id, organizationID: organizationID) else {
                    throw StrongroomError.notFound("The holder")
                }
                try body.validate(creating: false, kind: current.kind)
                let holder = try changed(current, by: body, provider: provider, at: clock.now())
                guard try await work.holders.update(holder) else { throw StrongroomError.notFound("The holder") }
                var fields = body.personal.keys.map(\.rawValue)
                if body.externalID != nil { fields.append("externalId") }
                if body.metadata != nil { fields.append("metadata") }
                try context.recordSuccess(
                    in: work, resource: HolderAudit.resource(holderID: id),
                    summary: HolderAudit.summary(organizationID: organizationID, ["fields": .list(fields.sorted())])
                )
                return try JSONResponse.encode(HolderView.reading(holder, provider: provider, masked: true))
            }
            return StoredResponse(status: .ok, body: answer).response()
        }

        router.add(.delete, item, access: .permission(.holdersWrite), action: HolderAudit.delete, organizationInHeader: true) { request, context in
            let organizationID = try organization(context)
            let id = try LedgerHTTP.id(context, "id", "The holder")
            switch request.uri.queryParameters["hard_delete"] {
            case nil, "false": break
            case "true":
                throw StrongroomError.invalidQuery(
                    "hard_delete",
                    "is not supported: a holder's personal data is removed by erasure, POST /v1/holders/{id}/erase (holders:erase)"
                )
            default: throw StrongroomError.invalidQuery("hard_delete", "must be true or false")
            }
            try await requireOrganization(organizationID, persistence)
            try await persistence.write { work in
                guard try await work.holders.softDelete(id: id, organizationID: organizationID, at: clock.now()) else {
                    throw StrongroomError.notFound("The holder")
                }
                try context.recordSuccess(
                    in: work, resource: HolderAudit.resource(holderID: id), summary: HolderAudit.summary(organizationID: organizationID)
                )
            }
            return Response(status: .noContent)
        }
    }

    // MARK: Sealing

    /// A new holder from a validated create: every non-empty personal field sealed under a
    /// new data key, wrapped by the organization's newest key-encryption key, with the
    /// blind-index terms of its document and primary email.
    static func sealed(
        _ body: HolderBody, id: String, organizationID: String, kind: StoredHolder.Kind, provider: any HolderKeyProvider, at now: Timestamp
    ) throws -> StoredHolder {
        let dataKey = HolderDataKey.generate()
        let sealer = FieldSealer(holderID: id, dataKey: dataKey)
        var fields: [PersonalFieldName: SealedField] = [:]
        for (name, value) in body.personal where !value.isEmpty && HolderField.byName[name] != nil {
            fields[name] = try sealer.seal(value, as: name)
        }
        let index = try provider.blindIndex(organizationID: organizationID)
        func term(_ name: PersonalFieldName, _ field: BlindIndex.Field) -> String? {
            body.personal[name].flatMap { $0.isEmpty ? nil : index.term($0, as: field) }
        }
        return StoredHolder(
            id: id, organizationID: organizationID, kind: kind, externalID: body.externalID.flatMap { $0.isEmpty ? nil : $0 },
            metadata: (body.metadata ?? Metadata()).json,
            wrappedDataKey: try dataKey.wrapped(holderID: id, organizationID: organizationID, by: provider), fields: fields,
            emailTerm: term(HolderField.primaryEmail, .email), documentTerm: term(HolderField.document, .document),
            blindIndexVersion: index.version, createdAt: now, updatedAt: now
        )
    }

    /// `current` with a validated change merged in: each personal field given is sealed anew
    /// (an empty one removed), the others keep their sealed bytes; a changed primary email gets
    /// its new term (and the document's is made again when the index key has moved on since).
    static func changed(
        _ current: StoredHolder, by body: HolderBody, provider: any HolderKeyProvider, at now: Timestamp
    ) throws -> StoredHolder {
        guard let wrapped = current.wrappedDataKey else { throw StrongroomError.notFound("The holder") }
        let sealer = FieldSealer(
            holderID: current.id, dataKey: try wrapped.unwrap(holderID: current.id, organizationID: current.organizationID, by: provider)
        )
        var holder = current
        for (name, value) in body.personal where HolderField.byName[name] != nil {
            holder.fields[name] = value.isEmpty ? nil : try sealer.seal(value, as: name)
        }
        if let email = body.personal[HolderField.primaryEmail] {
            let index = try provider.blindIndex(organizationID: current.organizationID)
            holder.emailTerm = email.isEmpty ? nil : index.term(email, as: .email)
            if holder.blindIndexVersion != index.version {
                holder.documentTerm = try holder.fields[HolderField.document].map {
                    index.term(try sealer.open($0, as: HolderField.document), as: .document)
                }
                holder.blindIndexVersion = index.version
            }
        }
        if let externalID = body.externalID { holder.externalID = externalID.isEmpty ? nil : externalID }
        if let metadata = body.metadata { holder.metadata = metadata.json }
        holder.updatedAt = now
        return holder
    }

    // MARK: Reading requests

    /// The organization the guard read from `X-Organization-Id` (it refuses a route without one).
    private static func organization(_ context: AppRequestContext) throws -> String {
        guard let id = context.headerOrganizationID else {
            throw StrongroomError(.organizationHeader, "This route needs the organization's id in one X-Organization-Id header.")
        }
        return id
    }

    static func readMode(_ request: Request) throws -> HolderReadMode {
        let query = request.uri.queryParameters
        return try HolderReadMode.parse(unmasked: query["unmasked"].map(String.init), reason: query["reason"].map(String.init))
    }

    private static func includeDeleted(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters["include_deleted"] {
        case nil, "false": false
        case "true": true
        default: throw StrongroomError.invalidQuery("include_deleted", "must be true or false")
        }
    }

    private static func filterText(_ request: Request, _ name: String) throws -> String? {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        guard (1...maxFilterLength).contains(text.count) else {
            throw StrongroomError.invalidQuery(name, "must be 1 to \(maxFilterLength) characters")
        }
        return text
    }

    private static func requireOrganization(_ id: String, _ persistence: Persistence) async throws {
        guard try await persistence.ledger.find(Organization.self, id: id, in: .root) != nil else {
            throw StrongroomError.notFound("The organization")
        }
    }

    // MARK: Unmasked reads

    /// An unmasked read needs `holders:read-pii` where the request reads, decided exactly as
    /// the guard decides a route's permission (`AccessPolicy`: the grant's scope, and a
    /// step-up for a sensitive permission): 403 (SR-1003, SR-1009, SR-1022 or SR-1023)
    /// otherwise, which the guard records as a denial. A masked read asks nothing more.
    static func requireUnmaskedAccess(_ mode: HolderReadMode, _ context: AppRequestContext, clock: any WallClock) throws {
        guard !mode.isMasked else { return }
        let now = clock.now().secondsSinceEpoch
        switch AccessPolicy.decide(.permission(.holdersReadPII), for: context.principal, on: context.accessTarget, at: now) {
        case .allow: return
        case .unauthenticated: throw StrongroomError.unauthenticated
        case .denied(let error): throw error
        }
    }

    /// Commits the read's `holder.read_pii` record before the answer leaves: a failure here
    /// throws, and the clear values are never sent.
    private static func recordUnmaskedRead(
        _ views: [HolderView], reason: String, resource: String, organizationID: String, context: AppRequestContext,
        persistence: Persistence
    ) async throws {
        try await recordUnmaskedRead(
            holderIDs: views.map(\.holder.id), fields: Array(Set(views.flatMap(\.fieldNames))).sorted(), reason: reason,
            resource: resource, organizationID: organizationID, context: context, persistence: persistence
        )
    }

    /// The same for any read of holders' sealed fields (an alias's related parties too):
    /// `holderIDs` whose `fields` are about to be answered in clear.
    static func recordUnmaskedRead(
        holderIDs: [String], fields: [String], reason: String, resource: String, organizationID: String, context: AppRequestContext,
        persistence: Persistence
    ) async throws {
        let event = HolderAudit.unmaskedRead(
            organizationID: organizationID, resource: resource, holderIDs: holderIDs, fields: fields, reason: reason,
            actor: GuardedRouter.actor(context.principal, context.sourceAddress), requestID: context.requestID
        )
        try await persistence.write { work in work.record(event) }
    }
}
