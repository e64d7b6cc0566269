import Audit
import Bookkeeping
import Events
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// One row of the onboarding route table (`OnboardingRoutes.table`): an entity kind's
/// routes, whatever its entity and body types.
protocol EntityRouteRow: Sendable {
    func register(on routes: GuardedRouter, services: LedgerServices)
}

/// The six routes every onboarding entity has, declared once: list, create (idempotent),
/// count, read, update, delete.
struct EntityRoutes<Entity: LedgerRecord & Encodable, New: StrictDecodable & Encodable & Sendable, Changes: StrictDecodable & Sendable>: EntityRouteRow {
    /// The collection's path, e.g. `/v1/organizations/{organization_id}/ledgers`.
    let collection: String
    /// The id parameter's name in `collection/{…}`.
    let idParameter: String
    let read: Permission
    let write: Permission
    /// Where the entities live, from the path.
    let scope: @Sendable (AppRequestContext) throws -> EntityScope
    /// Answers 404 when the path's parent (organization or ledger) does not exist.
    let parent: @Sendable (AppRequestContext, any LedgerStore) async throws -> Void
    let create: @Sendable (New, AppRequestContext, any LedgerStore) async throws -> Entity
    let update: @Sendable (String, Changes, AppRequestContext, any LedgerStore) async throws -> Entity
    let delete: @Sendable (String, AppRequestContext, any LedgerStore) async throws -> Void

    var what: String { "The \(Entity.kind.rawValue)" }

    func register(on routes: GuardedRouter, services: LedgerServices) {
        let item = "\(collection)/{\(idParameter)}"
        let persistence = services.persistence
        // The organization collection sits above every scope: any grant of `read` lists it,
        // filtered to the organizations the grants reach (the scope closure applies that).
        let listAccess: AccessRequirement = collection.contains("{organization_id}") ? .permission(read) : .listing(read)

        routes.add(.get, collection, access: listAccess) { request, context in
            let query = try LedgerHTTP.pageQuery(request)
            try await parent(context, persistence.ledger)
            let items = try await persistence.ledger.list(Entity.self, in: try scope(context), query: query)
            return try JSONResponse.make(LedgerHTTP.PageAnswer(items: items, page: query.page, limit: query.limit))
        }

        let kind = Entity.kind.rawValue
        routes.add(.post, collection, access: .permission(write), action: "\(kind).create") { request, context in
            let body = try await BodyReader.decode(New.self, from: request, limit: services.bodyLimit)
            let key = try services.gate.key(for: request, context: context, body: body)
            return try await services.gate.run(key, requestID: context.requestID) { work in
                let entity = try await create(body, context, work.ledger)
                work.emit([try LedgerEvents.entity(Entity.kind, .created, id: entity.id, scope: try scope(context), at: services.clock.now())])
                try context.recordSuccess(in: work, resource: "\(kind):\(entity.id)", summary: ["created": .list([entity.id])])
                return try LedgerHTTP.created(entity)
            }
        }

        routes.add(.head, "\(collection)/metrics/count", access: listAccess) { _, context in
            try await parent(context, persistence.ledger)
            return LedgerHTTP.count(try await persistence.ledger.count(Entity.self, in: try scope(context)))
        }

        routes.add(.get, item, access: .permission(read)) { _, context in
            let id = try LedgerHTTP.id(context, idParameter, what)
            guard let entity = try await persistence.ledger.find(Entity.self, id: id, in: try scope(context)) else {
                throw StrongroomError.notFound(what)
            }
            return try JSONResponse.make(entity)
        }

        routes.add(.patch, item, access: .permission(write), action: "\(kind).update") { request, context in
            let id = try LedgerHTTP.id(context, idParameter, what)
            let (changes, fields) = try await BodyReader.decodeNamingFields(Changes.self, from: request, limit: services.bodyLimit)
            let entity = try await persistence.write { work in
                let entity = try await update(id, changes, context, work.ledger)
                work.emit([
                    try LedgerEvents.entity(Entity.kind, .updated, id: id, scope: try scope(context), fields: fields, at: services.clock.now())
                ])
                try context.recordSuccess(in: work, resource: "\(kind):\(id)", summary: ["fields": .list(fields)])
                return entity
            }
            return try JSONResponse.make(entity)
        }

        routes.add(.delete, item, access: .permission(write), action: "\(kind).delete") { _, context in
            let id = try LedgerHTTP.id(context, idParameter, what)
            try await persistence.write { work in
                try await delete(id, context, work.ledger)
                work.emit([try LedgerEvents.entity(Entity.kind, .deleted, id: id, scope: try scope(context), at: services.clock.now())])
                try context.recordSuccess(in: work, resource: "\(kind):\(id)")
            }
            return Response(status: .noContent)
        }
    }
}

extension EntityRoutes {
    /// A kind that lives in a ledger, at `…/ledgers/{ledger_id}/<segment>`: its routes answer
    /// 404 while the path's ledger does not exist, and its operations take the ledger.
    static func inLedger(
        _ segment: String, idParameter: String, read: Permission, write: Permission, onboarding: Onboarding,
        create: @escaping @Sendable (New, LedgerRef, any LedgerStore) async throws -> Entity,
        update: @escaping @Sendable (String, LedgerRef, Changes, any LedgerStore) async throws -> Entity,
        delete: @escaping @Sendable (String, LedgerRef, any LedgerStore) async throws -> Void
    ) -> Self {
        Self(
            collection: "\(OnboardingRoutes.ledger)/\(segment)", idParameter: idParameter, read: read, write: write,
            scope: { .ledger(try LedgerHTTP.ledger($0)) },
            parent: { context, store in _ = try await onboarding.ledger(try LedgerHTTP.ledger(context), store: store) },
            create: { body, context, store in try await create(body, try LedgerHTTP.ledger(context), store) },
            update: { id, changes, context, store in try await update(id, try LedgerHTTP.ledger(context), changes, store) },
            delete: { id, context, store in try await delete(id, try LedgerHTTP.ledger(context), store) }
        )
    }
}
