import Bookkeeping
import Events
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// The pull API: `GET /v1/events?after=&limit=`, the outbox's stream in order, filtered to
/// the organizations and ledgers where the caller holds `events:read`.
enum EventRoutes {
    static let path = "/v1/events"
    static let defaultLimit = 100

    /// A page: the envelopes, each rendered exactly as the outbox stores it and a webhook
    /// will send it, and the cursor to ask with next (the last event's `seq`, or the cursor
    /// asked with when the page is empty). `{"items":[…],"next":"…"}`.
    struct Page: SortedJSONWritable {
        let events: [StoredEvent]
        let next: Int64

        func write(to json: inout SortedJSONWriter) {
            json.beginObject()
            json.key("items")
            json.beginArray()
            for event in events {
                json.element()
                event.envelope.write(to: &json)
            }
            json.endArray()
            json.member("next", String(next))
            json.endObject()
        }
    }

    static func register(on routes: GuardedRouter, persistence: Persistence) {
        routes.add(.get, path, access: .listing(.eventsRead)) { request, context in
            let (after, limit) = try query(request)
            let scope = readScope(context.principal?.grants ?? .none)
            let page = try await persistence.events.page(after: after, scope: scope, limit: limit)
            if page.missesEvents(after: after) {
                throw StrongroomError(
                    .eventCursorExpired,
                    "Events after cursor \(after) are past the retention and deleted; continue from cursor \(page.purgedThrough)."
                )
            }
            return JSONResponse.make(Page(events: page.events, next: page.events.last?.seq ?? after))
        }
    }

    /// Which events grants of `events:read` reach: everything with a global grant, else the
    /// organizations granted whole and the ledgers granted one by one.
    static func readScope(_ grants: Grants) -> EventReadScope {
        let scopes = grants.scopes(of: .eventsRead)
        if scopes.contains(where: \.isEverywhere) { return .everything }
        var organizations: Set<String> = []
        var ledgers: Set<LedgerRef> = []
        for scope in scopes {
            guard let organizationID = scope.organizationID else { continue }
            if let ledgerID = scope.ledgerID {
                ledgers.insert(LedgerRef(organizationID: organizationID, ledgerID: ledgerID))
            } else {
                organizations.insert(organizationID)
            }
        }
        return EventReadScope(organizations: organizations, ledgers: ledgers)
    }

    /// `after` (default 0, the stream's start) and `limit` (1 to `EventRecords.maxPage`,
    /// default `defaultLimit`).
    static func query(_ request: Request) throws -> (after: Int64, limit: Int) {
        let parameters = request.uri.queryParameters
        var after: Int64 = 0
        if let text = parameters["after"].map(String.init) {
            guard text.utf8.count <= 19, let value = Int64(text), value >= 0 else {
                throw StrongroomError.invalidQuery("after", "must be a cursor from a previous page, or 0")
            }
            after = value
        }
        var limit = defaultLimit
        if let text = parameters["limit"].map(String.init) {
            guard text.utf8.count <= 4, let value = Int(text), (1...EventRecords.maxPage).contains(value) else {
                throw StrongroomError.invalidQuery("limit", "must be a whole number from 1 to \(EventRecords.maxPage)")
            }
            limit = value
        }
        return (after, limit)
    }
}
