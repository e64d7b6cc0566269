import Bookkeeping
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Logging
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// The outbox through the server, on both backends: each ledger change writes its event in
/// its own unit of work (a refused one writes none), `GET /v1/events` pages the stream in
/// order without gaps while postings commit, shows a scoped caller only its own
/// organizations' events, answers 410 past the retention and 400 for a limit out of bounds.
@Suite("Event routes")
struct EventRouteTests {
    struct Page {
        let items: [[String: Any]]
        let next: String
    }

    static func page(_ client: any TestClientProtocol, token: String, after: String = "0", limit: Int = 1000) async throws -> Page {
        let response = try await client.json(.get, "/v1/events?after=\(after)&limit=\(limit)", token: token)
        #expect(response.status == .ok, "\(response.text)")
        let object = try response.object()
        return Page(items: try #require(object["items"] as? [[String: Any]]), next: try #require(object["next"] as? String))
    }

    /// Every event after `after`, page by page.
    static func all(_ client: any TestClientProtocol, token: String, after: String = "0", limit: Int = 1000) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var cursor = after
        while true {
            let page = try await page(client, token: token, after: cursor, limit: limit)
            if page.items.isEmpty { return items }
            items += page.items
            cursor = page.next
        }
    }

    static func body(_ item: [String: Any]) -> [String: Any] { item["body"] as? [String: Any] ?? [:] }

    /// Holds an event's body to its type's schema in docs/events: every required property
    /// present, none the schema does not name.
    static func expectBodyMatchesSchema(_ item: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let type = try #require(item["type"] as? String)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "docs/events/\(type).schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let bodySchema = try #require((schema["properties"] as? [String: Any])?["body"] as? [String: Any])
        let named = Set((bodySchema["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
        let required = Set(bodySchema["required"] as? [String] ?? [])
        let keys = Set(body(item).keys)
        #expect(required.isSubset(of: keys), "\(type): missing \(required.subtracting(keys))", sourceLocation: sourceLocation)
        #expect(keys.isSubset(of: named), "\(type): unnamed \(keys.subtracting(named))", sourceLocation: sourceLocation)
    }

    @Test(arguments: TestBackend.available)
    func eachChangeWritesItsEventAndARefusalNone(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            let alice = try await ledger.account("@alice")
            try await ledger.account("@bob")
            let posted = try #require(try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))["id"] as? String)
            // Refused (too little money): no event.
            let refused = try await ledger.post("/transactions/json", LedgerFixture.transfer("@bob", "@alice", "5.00"))
            #expect(refused.status == .unprocessableContent)
            let pending = LedgerFixture.transfer("@alice", "@bob", "10.00", extra: #""pending":true,"#)
            let held = try #require(try await ledger.posted("json", pending)["id"] as? String)
            #expect(try await ledger.post("/transactions/\(held)/commit", "").status == .created)
            let dropped = try #require(try await ledger.posted("json", pending)["id"] as? String)
            #expect(try await ledger.post("/transactions/\(dropped)/cancel", "").status == .created)
            let moved = try #require(try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "5.00"))["id"] as? String)
            let reverted = try await ledger.post("/transactions/\(moved)/revert", "")
            #expect(reverted.status == .created, "\(reverted.text)")
            #expect(try await ledger.send(.patch, "/accounts/\(alice)", #"{"name":"Alice A"}"#).status == .ok)
            let spare = try await ledger.account("@spare")
            #expect(try await ledger.send(.delete, "/accounts/\(spare)").status == .noContent)

            let items = try await Self.all(client, token: ledger.token, limit: 3)
            #expect(items.map { $0["type"] as? String ?? "?" } == [
                "organization.created", "ledger.created", "asset.created", "account.created", "account.created",
                "transaction.posted", "transaction.pending", "transaction.committed", "transaction.pending", "transaction.cancelled",
                "transaction.posted", "transaction.reverted", "account.updated", "account.created", "account.deleted",
            ])
            #expect(items.allSatisfy { $0["organizationId"] as? String == ledger.organization && $0["version"] as? Int == 1 })
            #expect(items.dropFirst().allSatisfy { $0["ledgerId"] as? String == ledger.ledger })
            // A transaction's body: ids, status, asset and amount as the API renders them.
            let first = Self.body(items[5])
            #expect(first["id"] as? String == posted && first["amount"] as? String == "100.00" && first["assetCode"] as? String == "USD")
            #expect(first["status"] as? String == "APPROVED" && first["pending"] as? Bool == false)
            #expect(Self.body(items[7])["id"] as? String == held && Self.body(items[7])["status"] as? String == "APPROVED")
            #expect(Self.body(items[9])["status"] as? String == "CANCELED")
            #expect(Self.body(items[11])["parentTransactionId"] as? String == moved && Self.body(items[11])["amount"] as? String == "5.00")
            // An account's events carry it as their ordering key; a PATCH names its fields.
            #expect(items[12]["orderingKey"] as? String == alice && Self.body(items[12])["fields"] as? [String] == ["name"])
            #expect(items[5]["orderingKey"] == nil)
            for item in items { try Self.expectBodyMatchesSchema(item) }
            // Ids are unique.
            #expect(Set(items.compactMap { $0["id"] as? String }).count == items.count)
        }
    }

    /// Eight tasks post while a reader pages: the reader's stream, read as it grows, is the
    /// stream read afterwards in one go (no event skipped or repeated, the same order), and
    /// every committed posting's event is in it once.
    @Test(arguments: TestBackend.available)
    func pagingWhilePostingMissesNothing(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            for worker in 0..<8 { try await ledger.account("@w\(worker)") }
            let start = try await Self.page(client, token: ledger.token)
            let (done, doneSignal) = AsyncStream<Void>.makeStream()
            async let postedIDs: [String] = withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var ids: [String] = []
                        for _ in 0..<15 {
                            let response = try await ledger.post("/transactions/inflow", LedgerFixture.inflow("@w\(worker)", "1.00"))
                            #expect(response.status == .created)
                            if let id = try response.object()["id"] as? String { ids.append(id) }
                        }
                        return ids
                    }
                }
                let ids = try await group.reduce(into: [String]()) { $0 += $1 }
                doneSignal.finish()
                return ids
            }
            // Read while the postings run, a few events at a time, then to the end.
            var seen: [[String: Any]] = []
            var cursor = start.next
            var finished = false
            var iterator = done.makeAsyncIterator()
            // Bounded, so a reader that never reaches the end fails rather than hangs.
            for _ in 0..<2_000 {
                let page = try await Self.page(client, token: ledger.token, after: cursor, limit: 7)
                seen += page.items
                #expect(page.items.isEmpty ? page.next == cursor : (UInt64(page.next) ?? 0) > (UInt64(cursor) ?? 0))
                cursor = page.next
                if page.items.isEmpty {
                    if finished { break }
                    finished = await iterator.next() == nil
                }
            }
            let ids = try await postedIDs
            #expect(finished && ids.count == 120)
            let whole = try await Self.all(client, token: ledger.token, after: start.next)
            #expect(seen.compactMap { $0["id"] as? String } == whole.compactMap { $0["id"] as? String })
            let transactions = seen.filter { $0["type"] as? String == "transaction.posted" }.compactMap { Self.body($0)["id"] as? String }
            #expect(transactions.count == ids.count && Set(transactions) == Set(ids))
        }
    }

    @Test(arguments: TestBackend.available)
    func aScopedCallerSeesOnlyItsOrganizations(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let a = try await LedgerFixture.make(client)
            let organizationB = try await client.json(
                .post, "/v1/organizations", token: a.token, body: #"{"legalName":"Other Ltd","legalDocument":"87654321"}"#
            )
            let b = try #require(try organizationB.object()["id"] as? String)
            _ = try await client.json(.post, "/v1/organizations/\(b)/ledgers", token: a.token, body: #"{"name":"B main"}"#)
            try await a.account("@a1")

            let scoped = try await IdentityFixture.user(
                "reader", permissions: [.eventsRead], scope: try #require(AccessScope(organizationID: a.organization, ledgerID: nil)),
                client: client, prepared: prepared
            )
            let theirs = try await Self.all(client, token: scoped.token)
            #expect(theirs.count == 4)
            #expect(theirs.allSatisfy { $0["organizationId"] as? String == a.organization })
            let ledgerOnly = try await IdentityFixture.user(
                "ledger-reader", permissions: [.eventsRead],
                scope: try #require(AccessScope(organizationID: a.organization, ledgerID: a.ledger)), client: client, prepared: prepared
            )
            let ledgerEvents = try await Self.all(client, token: ledgerOnly.token)
            #expect(ledgerEvents.map { $0["type"] as? String ?? "?" } == ["ledger.created", "asset.created", "account.created"])
            // The administrator (a global grant) sees both organizations'.
            let everything = try await Self.all(client, token: a.token)
            #expect(everything.contains { $0["organizationId"] as? String == b })
            #expect(everything.count == theirs.count + 2)
            // Without events:read anywhere: 403.
            let other = try await IdentityFixture.user("teller", permissions: [.accountsRead], client: client, prepared: prepared)
            try await client.json(.get, "/v1/events", token: other.token).expectProblem(.forbidden)
        }
    }

    @Test(arguments: TestBackend.available)
    func aCursorPastTheRetentionIsGoneAndLimitsAreBounded(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, config in
            let ledger = try await LedgerFixture.make(client)
            let before = try await Self.page(client, token: ledger.token)
            #expect(before.items.count == 3)
            for bad in ["limit=0", "limit=1001", "limit=ten", "after=-1", "after=x", "after=99999999999999999999"] {
                try await client.json(.get, "/v1/events?\(bad)", token: ledger.token).expectProblem(.badRequest, code: "SR-0007")
            }
            #expect(try await Self.page(client, token: ledger.token, limit: 1).items.count == 1)

            // Eight days later the sweep has deleted all three: a reader from the start has
            // missed them, a reader at the last one has not.
            let sweeper = ExpirySweeper(
                persistence: prepared.persistence, engine: .init(clock: prepared.clock), clock: prepared.clock, logger: TestDatabase.logger,
                eventRetentionSeconds: config.eventRetentionSeconds
            )
            #expect(try await sweeper.sweepEvents(now: prepared.clock.now().adding(seconds: 6 * 86_400)) == 0)
            #expect(try await sweeper.sweepEvents(now: prepared.clock.now().adding(seconds: 8 * 86_400)) == 3)
            try await client.json(.get, "/v1/events?after=0", token: ledger.token).expectProblem(.gone, code: "SR-5001")
            let atEnd = try await Self.page(client, token: ledger.token, after: before.next)
            #expect(atEnd.items.isEmpty && atEnd.next == before.next)
            try await ledger.account("@late")
            #expect(try await Self.page(client, token: ledger.token, after: before.next).items.count == 1)
        }
    }
}
