import Audit
import Bookkeeping
import Foundation
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// `GET /v1/organizations/{organization_id}/protection/audit` (`audit:read`): the
/// organization's record of who read its holders' personal data in clear (`holder.read_pii`)
/// and whose data was erased (`holder.erase`), from the audit chain, oldest first. Midaz's
/// `auditEventsEnvelope` in our conventions: `items`, `limit`, `next_cursor` (a record's
/// `seq`), `organization_id`; each item its `id` (the `seq`), `timestamp`, `action`, `actor`
/// (`kind:id`), `outcome`, `request_id`, and from its summary the `reason`, the `holder_ids`
/// and the `fields` read. Filters: `action` (one of the two), `actor` (an id), `outcome`,
/// `start_date` and `end_date` (inclusive; a day `YYYY-MM-DD` or an RFC 3339 time).
///
/// A record belongs to the organization its summary names (`organization_id`, which every
/// holder record carries: `HolderAudit`). A refused read or erasure is in the general trail
/// (`GET /v1/audit/events`) as the guard records it, not here.
enum ProtectionAuditRoutes {
    static let path = "/v1/organizations/{organization_id}/protection/audit"

    struct Item: Encodable {
        let id: String
        let timestamp: Timestamp
        let action: String
        let actor: String
        let outcome: String
        let requestID: String
        let reason: String?
        let holderIDs: [String]
        let fields: [String]?

        init(_ record: AuditRecord) {
            let summary = (try? JSONDecoder().decode([String: AuditSummary.Value].self, from: Data(record.summary.utf8))) ?? [:]
            func text(_ key: String) -> String? { if case .text(let value)? = summary[key] { value } else { nil } }
            func list(_ key: String) -> [String]? { if case .list(let values)? = summary[key] { values } else { nil } }
            id = String(record.seq)
            timestamp = record.time
            action = record.action
            actor = "\(record.actorKind):\(record.actorID)"
            outcome = record.outcome
            requestID = record.requestID
            reason = text("reason")
            // A list read names its holders in the summary; a read or erasure of one, in its resource.
            let single = record.resource.hasPrefix("holder:") ? [String(record.resource.dropFirst("holder:".count))] : []
            holderIDs = list("holders") ?? single
            fields = list("fields")
        }

        enum CodingKeys: String, CodingKey {
            case id, timestamp, action, actor, outcome, reason, fields
            case requestID = "request_id"
            case holderIDs = "holder_ids"
        }
    }

    struct Envelope: Encodable {
        let organizationID: String
        let items: [Item]
        let limit: Int
        let nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case items, limit
            case organizationID = "organization_id"
            case nextCursor = "next_cursor"
        }
    }

    static func register(on router: GuardedRouter, persistence: Persistence) {
        router.add(.get, path, access: .permission(.auditRead)) { request, context in
            let organizationID = try LedgerHTTP.id(context, "organization_id", "The organization")
            var query = try self.query(request)
            query.actions = HolderAudit.protectionActions
            query.organizationID = organizationID
            guard try await persistence.ledger.find(Organization.self, id: organizationID, in: .root) != nil else {
                throw StrongroomError.notFound("The organization")
            }
            let records = try await persistence.audit.page(query)
            return try JSONResponse.make(Envelope(
                organizationID: organizationID, items: records.map(Item.init), limit: query.limit,
                nextCursor: records.count == query.limit ? records.last.map { String($0.seq) } : nil
            ))
        }
    }

    static func query(_ request: Request) throws -> AuditQuery {
        let parameters = request.uri.queryParameters
        func text(_ name: String) throws -> String? {
            guard let value = parameters[Substring(name)].map(String.init) else { return nil }
            guard (1...256).contains(value.utf8.count) else { throw StrongroomError.invalidQuery(name, "must be 1 to 256 characters") }
            return value
        }
        var query = AuditQuery(actorID: try text("actor"))
        if let action = try text("action") {
            guard HolderAudit.protectionActions.contains(action) else {
                throw StrongroomError.invalidQuery("action", "must be \(HolderAudit.protectionActions.joined(separator: " or "))")
            }
            query.action = action
        }
        if let start = try text("start_date") {
            guard let time = instant(start) else { throw StrongroomError.invalidQuery("start_date", "must be YYYY-MM-DD or an RFC 3339 date-time") }
            query.from = time.start
        }
        if let end = try text("end_date") {
            guard let time = instant(end) else { throw StrongroomError.invalidQuery("end_date", "must be YYYY-MM-DD or an RFC 3339 date-time") }
            query.to = time.end
        }
        if let from = query.from, let to = query.to, from >= to {
            throw StrongroomError.invalidQuery("start_date", "must not be after end_date")
        }
        try AuditRoutes.readOutcomeAndPage(into: &query, text)
        return query
    }

    /// A bound as given, inclusive at both ends: a day covers the whole UTC day; a time, that
    /// microsecond. `end` is the first instant past it, as `AuditQuery.to` excludes.
    private static func instant(_ text: String) -> (start: Timestamp, end: Timestamp)? {
        if text.utf8.count == 10, let day = RFC3339.parse(text + "T00:00:00Z"), RFC3339.format(day).hasPrefix(text) {
            return (day, day.adding(seconds: 86_400))
        }
        guard let time = RFC3339.parse(text) else { return nil }
        return (time, time.adding(microseconds: 1))
    }
}
