import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Time-limited access through the API on both backends (issue 25, item 4): a grant's and a
/// membership's `expires_at` are set and shown, refused when past or too far ahead, stop
/// working within the principal cache's bound on the server's own clock with no restart, and
/// each lapse becomes one audit record when the sweeper removes it.
@Suite("Time-limited access")
struct TimeLimitedAccessTests {
    static func time(_ clock: SteppingClock, plus seconds: Int64) -> String { RFC3339.format(clock.now().adding(seconds: seconds)) }

    @Test(arguments: TestBackend.available)
    func aLapsedGrantOrMembershipStopsWorkingWithinTenSecondsAndIsRecorded(backend: TestBackend) async throws {
        let clock = SteppingClock(start: SystemClock().now())
        try await TestServer.with(backend, clock: clock) { client, prepared, _ in
            let (admin, _) = try await client.steppedUp(clock: clock)

            let auditors = try await client.json(.post, "/v1/groups", token: admin, body: """
                {"name":"auditors","permissions":["audit:read"],"permission_expires_at":{"audit:read":"\(Self.time(clock, plus: 60))"}}
                """)
            #expect(auditors.status == .created, "\(auditors.text)")
            let auditorsID = try #require(try auditors.object()["id"] as? String)
            #expect((try auditors.object()["permission_expires_at"] as? [String: String])?["audit:read"] == Self.time(clock, plus: 60))
            let readers = try await client.json(.post, "/v1/groups", token: admin, body: #"{"name":"readers","permissions":["users:read"]}"#)
            #expect(readers.status == .created, "\(readers.text)")
            #expect((try readers.object()["permission_expires_at"] as? [String: String])?.isEmpty == true)

            // Refused: an expiry in the past, one more than a year and a day ahead, one for a
            // group the body does not list, and text that is no time at all.
            for (body, status) in [
                (#"{"username":"x1","password":"a long enough passphrase 1","groups":["readers"],"group_expires_at":{"readers":"\#(Self.time(clock, plus: -1))"}}"#, HTTPResponse.Status.unprocessableContent),
                (#"{"username":"x2","password":"a long enough passphrase 1","groups":["readers"],"group_expires_at":{"readers":"\#(Self.time(clock, plus: 367 * 86_400))"}}"#, .unprocessableContent),
                (#"{"username":"x3","password":"a long enough passphrase 1","groups":["readers"],"group_expires_at":{"auditors":"\#(Self.time(clock, plus: 60))"}}"#, .unprocessableContent),
                (#"{"username":"x4","password":"a long enough passphrase 1","groups":["readers"],"group_expires_at":{"readers":"tomorrow"}}"#, .badRequest),
            ] {
                let refused = try await client.json(.post, "/v1/users", token: admin, body: body)
                try refused.expectProblem(status)
            }

            let created = try await client.json(.post, "/v1/users", token: admin, body: """
                {"username":"carol","password":"a long enough passphrase 1","groups":["auditors","readers"],\
                "group_expires_at":{"readers":"\(Self.time(clock, plus: 120))","auditors":null}}
                """)
            #expect(created.status == .created, "\(created.text)")
            let carolID = try #require(try created.object()["id"] as? String)
            #expect(try created.object()["group_expires_at"] as? [String: String] == ["readers": Self.time(clock, plus: 120)])
            // A change of the list keeps the expiry of a membership it keeps.
            let patched = try await client.json(.patch, "/v1/users/\(carolID)", token: admin, body: #"{"groups":["readers","auditors"]}"#)
            #expect(try patched.object()["group_expires_at"] as? [String: String] == ["readers": Self.time(clock, plus: 120)])

            let (restricted, _) = try await client.login("carol", "a long enough passphrase 1")
            let changed = try await client.json(.post, "/v1/auth/password", token: restricted, body: """
                {"current_password":"a long enough passphrase 1","new_password":"a long enough passphrase 2"}
                """)
            #expect(changed.status.code < 300, "\(changed.text)")
            let (carol, _) = try await client.login("carol", "a long enough passphrase 2")

            #expect(try await client.json(.get, "/v1/audit/events?limit=1", token: carol).status == .ok)
            #expect(try await client.json(.get, "/v1/users/\(carolID)", token: carol).status == .ok)

            // Resolved (and cached) one second before the grant lapses; nine seconds after it,
            // inside the 10-second bound, the grant no longer works. Nothing restarted.
            clock.advance(seconds: 59)
            #expect(try await client.json(.get, "/v1/audit/events?limit=1", token: carol).status == .ok)
            clock.advance(seconds: 10)
            try await client.json(.get, "/v1/audit/events?limit=1", token: carol).expectProblem(.forbidden, code: "SR-1003")
            #expect(try await client.json(.get, "/v1/users/\(carolID)", token: carol).status == .ok)

            // The server's own sweeper service reads the same clock and may get there first:
            // between the two of them the lapse is swept (and recorded, checked below) once.
            let sweeper = AccessLapseSweeper(persistence: prepared.persistence, clock: clock, logger: TestDatabase.logger)
            #expect(try await sweeper.sweep(now: clock.now()) <= 1)
            #expect(try await sweeper.sweep(now: clock.now()) == 0)
            let group = try await client.json(.get, "/v1/groups/\(auditorsID)", token: admin).object()
            #expect(group["permissions"] as? [String] == [])

            // The membership of readers lapses at +120 s.
            clock.advance(seconds: 60)
            try await client.json(.get, "/v1/users/\(carolID)", token: carol).expectProblem(.forbidden, code: "SR-1003")
            let me = try await client.json(.get, "/v1/auth/me", token: carol).object()
            #expect(me["groups"] as? [String] == ["auditors"])
            #expect(try await sweeper.sweep(now: clock.now()) <= 1)
            #expect(try await sweeper.sweep(now: clock.now()) == 0)
            let user = try await client.json(.get, "/v1/users/\(carolID)", token: admin).object()
            #expect(user["groups"] as? [String] == ["auditors"])

            for (action, resource, field) in [
                ("grant.lapse", "group:\(auditorsID)", "permission"), ("membership.lapse", "user:\(carolID)", "group_id"),
            ] {
                let events = try await client.json(.get, "/v1/audit/events?action=\(action)&limit=100", token: admin).object()
                let items = try #require(events["items"] as? [[String: Any]])
                #expect(items.count == 1, "\(action)")
                #expect(items.first?["resource"] as? String == resource)
                #expect((items.first?["summary"] as? [String: Any])?[field] != nil, "\(action): \(items)")
            }
        }
    }
}
