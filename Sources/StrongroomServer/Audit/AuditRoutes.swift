import Audit
import Foundation
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// Reading and verifying the audit trail (API.md, Audit).
enum AuditRoutes {
    struct Actor: Encodable {
        let kind: String
        let id: String
        let address: String?
    }

    struct Item: Encodable {
        let seq: Int64
        let time: Timestamp
        let actor: Actor
        let action: String
        let resource: String
        let outcome: String
        let requestID: String
        let summary: StoredSummary
        let prevHash: String
        let hash: String

        init(_ record: AuditRecord) {
            seq = record.seq
            time = record.time
            actor = Actor(kind: record.actorKind, id: record.actorID, address: record.actorAddress)
            action = record.action
            resource = record.resource
            outcome = record.outcome
            requestID = record.requestID
            summary = StoredSummary(text: record.summary)
            prevHash = record.prevHash
            hash = record.hash
        }

        enum CodingKeys: String, CodingKey {
            case seq, time, actor, action, resource, outcome, summary, hash
            case requestID = "request_id"
            case prevHash = "prev_hash"
        }
    }

    /// The stored summary as the JSON object it is; text that is not one (a tampered row)
    /// is shown as the string it is.
    struct StoredSummary: Encodable {
        let text: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if let fields = try? JSONDecoder().decode([String: AuditSummary.Value].self, from: Data(text.utf8)) {
                try container.encode(fields)
            } else {
                try container.encode(text)
            }
        }
    }

    struct Page: Encodable {
        let items: [Item]
        let limit: Int
        let nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case items, limit
            case nextCursor = "next_cursor"
        }
    }

    struct Verdict: Encodable {
        struct Head: Encodable {
            let seq: Int64
            let hash: String
        }

        let valid: Bool
        let records: Int64?
        let head: Head?
        let firstBadSeq: Int64?
        let reason: String?

        init(_ verification: AuditVerification) {
            switch verification {
            case .valid(let count, let head):
                (valid, records, firstBadSeq, reason) = (true, count, nil, nil)
                self.head = head.map { Head(seq: $0.seq, hash: $0.hash) }
            case .invalid(let seq, let why):
                (valid, records, head, firstBadSeq, reason) = (false, nil, nil, seq, why)
            }
        }

        enum CodingKeys: String, CodingKey {
            case valid, records, head, reason
            case firstBadSeq = "first_bad_seq"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(valid, forKey: .valid)
            if valid {
                try container.encode(records, forKey: .records)
                try container.encode(head, forKey: .head)
            } else {
                try container.encode(firstBadSeq, forKey: .firstBadSeq)
                try container.encode(reason, forKey: .reason)
            }
        }
    }

    static func register(on routes: GuardedRouter, persistence: Persistence, verification: AuditTrailVerification) {
        routes.add(.get, "/v1/audit/events", access: .permission(.auditRead)) { request, _ in
            let query = try self.query(request)
            let records = try await persistence.audit.page(query)
            return try JSONResponse.make(Page(
                items: records.map(Item.init), limit: query.limit,
                nextCursor: records.count == query.limit ? records.last.map { String($0.seq) } : nil
            ))
        }

        routes.add(.get, "/v1/audit/verify", access: .permission(.auditRead)) { _, _ in
            try JSONResponse.make(Verdict(try await verification.run()))
        }
    }

    static func query(_ request: Request) throws -> AuditQuery {
        let parameters = request.uri.queryParameters
        func text(_ name: String) throws -> String? {
            guard let value = parameters[Substring(name)].map(String.init) else { return nil }
            guard (1...256).contains(value.utf8.count) else { throw StrongroomError.invalidQuery(name, "must be 1 to 256 characters") }
            return value
        }
        func time(_ name: String) throws -> Timestamp? {
            guard let value = try text(name) else { return nil }
            guard let time = RFC3339.parse(value) else { throw StrongroomError.invalidQuery(name, "must be an RFC 3339 date-time") }
            return time
        }
        var query = AuditQuery(
            actorID: try text("actor"), action: try text("action"), resource: try text("resource"), from: try time("from"), to: try time("to")
        )
        try readOutcomeAndPage(into: &query, text)
        return query
    }

    /// What every listing of the trail reads alike (this route's and the protection audit's):
    /// `outcome`, and the page's `cursor` and `limit`, each checked, from `text`, the route's
    /// reader of a bounded query parameter.
    static func readOutcomeAndPage(into query: inout AuditQuery, _ text: (String) throws -> String?) throws {
        if let outcome = try text("outcome") {
            guard AuditEvent.Outcome(rawValue: outcome) != nil else {
                throw StrongroomError.invalidQuery("outcome", "must be success, failure or denied")
            }
            query.outcome = outcome
        }
        if let cursor = try text("cursor") {
            guard let after = Int64(cursor), after >= 0 else {
                throw StrongroomError.invalidQuery("cursor", "is not a cursor this server issued")
            }
            query.afterSeq = after
        }
        if let limit = try text("limit") {
            guard let value = Int(limit), (1...AuditQuery.maxLimit).contains(value) else {
                throw StrongroomError.invalidQuery("limit", "must be a whole number from 1 to \(AuditQuery.maxLimit)")
            }
            query.limit = value
        }
    }
}
