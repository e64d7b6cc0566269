import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Identity's creating POSTs honour `Idempotency-Key` as the ledger's do, and what the
/// idempotency table keeps of them reveals nothing: no client secret, no password, no
/// username in clear, and no unkeyed digest of a body that held a password.
@Suite("Idempotent administration")
struct IdempotentAdministrationTests {
    @Test(arguments: TestBackend.available)
    func storedRowsHoldNeitherSecretNorPasswordAndReplaysStillAnswerThem(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let admin = try await client.steppedUp().token
            let clientBody = #"{"name":"payroll export","groups":[]}"#
            let created = try await client.json(.post, "/v1/clients", token: admin, body: clientBody, headers: key("client-1"))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[replayed] == nil)
            let secret = try #require(try created.object()["client_secret"] as? String)

            let password = "a passphrase nobody guesses 7"
            let userBody = #"{"username":"carol.payroll","password":"\#(password)"}"#
            let user = try await client.json(.post, "/v1/users", token: admin, body: userBody, headers: key("user-1"))
            #expect(user.status == .created, "\(user.text)")

            let rows = try await prepared.persistence.database.direct.query(
                "SELECT scope, request_hash, body FROM ledger_idempotency", []
            )
            #expect(rows.count == 2)
            let plainDigests = [clientBody, userBody].map { text in
                // The canonical body the digest is taken over: sorted keys, as the gate renders it.
                let object = try? JSONSerialization.jsonObject(with: Data(text.utf8))
                let canonical = (try? JSONSerialization.data(withJSONObject: object ?? [:], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
                return [Hex.string(SHA256.hash(data: canonical)), Hex.string(SHA256.hash(data: Data(text.utf8)))]
            }.flatMap { $0 }
            for row in rows {
                let body = try row.bytes("body")
                for needle in [secret, password, "carol.payroll"] {
                    #expect(!contains(body, Array(needle.utf8)), "a stored body holds \(needle.prefix(4))…")
                }
                // Both answers are confidential, so both are sealed.
                #expect(body.first == IdempotencyGate.sealedMarker)
                let hash = try row.text("request_hash")
                #expect(!plainDigests.contains(hash), "an unkeyed digest was stored")
                #expect(hash.count == 64)
            }

            // A replay answers the first answer, secret included, to the same caller, uncached.
            let again = try await client.json(
                .post, "/v1/clients", token: admin, body: #"{"groups":[], "name":"payroll export"}"#, headers: key("client-1")
            )
            #expect(again.status == .created)
            #expect(again.headers[replayed] == "true")
            #expect(again.headers[.cacheControl] == "no-store")
            #expect(again.text == created.text)
            let userAgain = try await client.json(.post, "/v1/users", token: admin, body: userBody, headers: key("user-1"))
            #expect(userAgain.status == .created)
            #expect(userAgain.headers[replayed] == "true")
            #expect(userAgain.text == user.text)
            // Once each.
            let clients = try await client.json(.get, "/v1/clients", token: admin).object()["items"] as? [[String: Any]]
            #expect(clients?.count == 1)
            #expect(try await prepared.persistence.identity.users(after: nil, limit: 10).count == 2)

            // Another password under the same key is another request: 422, and no second user.
            let other = #"{"username":"carol.payroll","password":"another passphrase entirely"}"#
            try await client.json(.post, "/v1/users", token: admin, body: other, headers: key("user-1"))
                .expectProblem(.unprocessableContent, code: "SR-2030")
        }
    }

    @Test(arguments: TestBackend.available)
    func groupsRotationsAndKeysHappenOncePerKey(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let admin = try await client.steppedUp().token
            let groupBody = #"{"name":"auditors","permissions":["audit:read"]}"#
            let group = try await client.json(.post, "/v1/groups", token: admin, body: groupBody, headers: key("group-1"))
            #expect(group.status == .created, "\(group.text)")
            let groupAgain = try await client.json(.post, "/v1/groups", token: admin, body: groupBody, headers: key("group-1"))
            #expect(groupAgain.headers[replayed] == "true")
            #expect(groupAgain.text == group.text)

            let made = try await client.json(.post, "/v1/clients", token: admin, body: #"{"name":"feed"}"#)
            let id = try #require(try made.object()["client_id"] as? String)
            let original = try #require(try made.object()["client_secret"] as? String)
            let rotated = try await client.json(.post, "/v1/clients/\(id)/rotate-secret", token: admin, headers: key("rotate-1"))
            #expect(rotated.status == .ok, "\(rotated.text)")
            #expect(rotated.headers[.cacheControl] == "no-store")
            // The id in upper case names the same client, so the same scope: a replay, not a
            // second rotation.
            let rotatedAgain = try await client.json(
                .post, "/v1/clients/\(id.uppercased())/rotate-secret", token: admin, headers: key("rotate-1")
            )
            #expect(rotatedAgain.headers[replayed] == "true")
            #expect(rotatedAgain.text == rotated.text)
            let secret = try #require(try rotated.object()["client_secret"] as? String)
            // The original secret still works within the overlap only because one rotation
            // happened: a second would have made the first rotation's secret the previous one.
            let clientID = try #require(UUID(uuidString: id))
            let stored = try #require(try await prepared.persistence.identity.client(id: clientID))
            #expect(stored.accepts(secret: secret, at: prepared.clock.now()))
            #expect(stored.accepts(secret: original, at: prepared.clock.now()))

            let keysBefore = try await prepared.persistence.identity.signingKeys().count
            let key1 = try await client.json(.post, "/v1/keys/rotate", token: admin, headers: key("keys-1"))
            #expect(key1.status == .created, "\(key1.text)")
            let key2 = try await client.json(.post, "/v1/keys/rotate", token: admin, headers: key("keys-1"))
            #expect(key2.headers[replayed] == "true")
            #expect(key2.text == key1.text)
            #expect(try await prepared.persistence.identity.signingKeys().count == keysBefore + 1)

            // Neither a group nor a key id is confidential: those answers are stored in clear.
            let rows = try await prepared.persistence.database.direct.query("SELECT body FROM ledger_idempotency", [])
            #expect(rows.count == 3)
            #expect(try rows.count(where: { try $0.bytes("body").first == IdempotencyGate.sealedMarker }) == 1)
        }
    }

    @Test(arguments: TestBackend.available)
    func anIdInUpperCaseIsTheSameScope(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let admin = try await client.steppedUp().token
            let organization = try await client.json(
                .post, "/v1/organizations", token: admin, body: #"{"legalName":"Acme Ltd","legalDocument":"1"}"#
            )
            let id = try #require(try organization.object()["id"] as? String)
            let body = #"{"name":"Main"}"#
            let first = try await client.json(.post, "/v1/organizations/\(id)/ledgers", token: admin, body: body, headers: key("ledger-1"))
            #expect(first.status == .created, "\(first.text)")
            let second = try await client.json(
                .post, "/v1/organizations/\(id.uppercased())/ledgers", token: admin, body: body, headers: key("ledger-1")
            )
            #expect(second.status == .created, "\(second.text)")
            #expect(second.headers[replayed] == "true")
            #expect(second.text == first.text)
            let ledgers = try await client.json(.get, "/v1/organizations/\(id)/ledgers", token: admin).object()["items"] as? [Any]
            #expect(ledgers?.count == 1)
        }
    }

    @Test func theScopePathLowersIdsAndNothingElse() {
        let id = "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"
        #expect(IdempotencyGate.scopePath("/v1/organizations/\(id)/ledgers") == "/v1/organizations/\(id.lowercased())/ledgers")
        #expect(IdempotencyGate.scopePath("/v1/clients/\(id)/rotate-secret") == "/v1/clients/\(id.lowercased())/rotate-secret")
        #expect(IdempotencyGate.scopePath("/v1/organizations") == "/v1/organizations")
        // Not an id: left as it is (an alias, a code).
        #expect(IdempotencyGate.scopePath("/v1/x/ABC/Def") == "/v1/x/ABC/Def")
        #expect(IdempotencyGate.scopePath("/v1/x/\(id)X") == "/v1/x/\(id)X")
    }
}

private let replayed = HTTPField.Name("X-Idempotency-Replayed")!

private func key(_ value: String) -> HTTPFields { [HTTPField.Name("Idempotency-Key")!: value] }

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    return (0...(haystack.count - needle.count)).contains { start in haystack[start..<(start + needle.count)].elementsEqual(needle) }
}
