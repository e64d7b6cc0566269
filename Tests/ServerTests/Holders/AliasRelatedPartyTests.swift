import Foundation
import Holders
import HTTPTypes
import HummingbirdTesting
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// An alias's related parties on both backends: sealed under the holder's data key as one
/// field of the holder, answered masked (in clear only to an audited unmasked read), replaced
/// by a PATCH, removed one at a time, and destroyed with the holder's other fields by an
/// erasure while the alias's row stays.
@Suite("Alias related parties")
struct AliasRelatedPartyTests {
    static let name = "Theodora Quillfeather"
    static let document = "QX-7731904"
    static let other = "Barnaby Oakenshield"

    static func party(_ name: String, _ document: String, role: String = "LEGAL_REPRESENTATIVE", end: String? = "2027-01-01") -> String {
        let endDate = end.map { #","endDate":"\#($0)""# } ?? ""
        return #"{"name":"\#(name)","document":"\#(document)","role":"\#(role)","startDate":"2025-01-01"\#(endDate)}"#
    }

    static func parties(_ object: [String: Any]) -> [[String: Any]] { object["relatedParties"] as? [[String: Any]] ?? [] }

    @Test(arguments: TestBackend.available)
    func partiesAreSealedMaskedReplacedRemovedAndErasedWithTheHolder(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let fixture = try await LedgerFixture.make(client, steppedUp: true)
            let (ledger, account) = try await HolderAliasRouteTests.ledger(fixture, settings: nil)
            let holder = try await HolderAliasRouteTests.holder(fixture.organization, prepared: prepared)
            let path = "/v1/holders/\(holder)/aliases"
            let headers = HolderAliasRouteTests.headers(fixture.organization)
            let body = #"{"ledgerId":"\#(ledger)","accountId":"\#(account)","relatedParties":[\#(Self.party(Self.name, Self.document)),\#(Self.party("Ada Byron", "AB-12", role: "PRIMARY_HOLDER", end: nil))]}"#

            let created = try await client.json(.post, path, token: fixture.token, body: body, headers: HolderAliasRouteTests.headers(fixture.organization, key: "parties-1"))
            #expect(created.status == .created, "\(created.text)")
            #expect(!created.text.contains(Self.name) && !created.text.contains(Self.document), "\(created.text)")
            let alias = try created.object()
            let id = try #require(alias["id"] as? String)
            let shown = Self.parties(alias)
            #expect(shown.count == 2)
            #expect(shown.first?["name"] as? String == PersonalFieldMask.name(Self.name))
            #expect(shown.first?["document"] as? String == PersonalFieldMask.document(Self.document))
            #expect(shown.first?["role"] as? String == "LEGAL_REPRESENTATIVE" && shown.first?["endDate"] as? String == "2027-01-01")
            let partyIDs = shown.compactMap { $0["id"] as? String }
            #expect(partyIDs.count == 2 && Set(partyIDs).count == 2 && partyIDs.allSatisfy { UUID(uuidString: $0) != nil })

            // The replay answers the same masked 201.
            let again = try await client.json(.post, path, token: fixture.token, body: body, headers: HolderAliasRouteTests.headers(fixture.organization, key: "parties-1"))
            #expect(again.status == .created && again.text == created.text)

            // Stored as one sealed field of the holder: no name or document in its bytes.
            let stored = try #require(try await prepared.persistence.holders.find(id: holder, organizationID: fixture.organization))
            let sealed = try #require(stored.fields[AliasRelatedParties.fieldName(aliasID: id)])
            for value in [Self.name, Self.document] {
                #expect(!HolderErasureTests.contains(sealed.bytes, Array(value.utf8)), "\(value)")
            }
            // A change to the holder leaves the alias's parties alone.
            let renamed = try await client.json(.patch, "/v1/holders/\(holder)", token: fixture.token, body: #"{"externalId":"x-1"}"#, headers: headers)
            #expect(renamed.status == .ok, "\(renamed.text)")

            // Masked on read and in the list; clear only to an unmasked read, recorded first.
            let read = try await client.json(.get, "\(path)/\(id)", token: fixture.token, headers: headers)
            #expect(read.status == .ok && read.text == created.text, "\(read.text)")
            let listed = try await client.json(.get, "/v1/aliases?holder_id=\(holder)", token: fixture.token, headers: headers)
            #expect(!listed.text.contains(Self.name) && listed.text.contains(PersonalFieldMask.name(Self.name)), "\(listed.text)")
            let clear = try await client.json(.get, "\(path)/\(id)?unmasked=true&reason=kyc%20review", token: fixture.token, headers: headers)
            #expect(clear.status == .ok && clear.text.contains(Self.name) && clear.text.contains(Self.document), "\(clear.text)")
            let reads = try await ControlRouteTests.records(client, fixture, action: HolderAudit.readPII, resource: HolderAudit.resource(holderID: holder))
            let summary = try #require(reads.first?["summary"] as? [String: Any])
            #expect(reads.count == 1 && summary["reason"] as? String == "kyc review")
            #expect(summary["fields"] as? [String] == [AliasRelatedParties.fieldName(aliasID: id).rawValue])
            try await client.json(.get, "\(path)/\(id)?unmasked=true", token: fixture.token, headers: headers).expectProblem(.badRequest, code: "SR-0007")

            // A PATCH replaces the list; null leaves it.
            let patched = try await client.json(
                .patch, "\(path)/\(id)", token: fixture.token, body: #"{"relatedParties":[\#(Self.party(Self.other, "ZZ-99"))]}"#, headers: headers
            )
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(Self.parties(try patched.object()).map { $0["name"] as? String } == [PersonalFieldMask.name(Self.other)])
            let kept = try await client.json(.patch, "\(path)/\(id)", token: fixture.token, body: #"{"relatedParties":null,"metadata":{"a":"b"}}"#, headers: headers)
            let keptParties = Self.parties(try kept.object())
            #expect(keptParties.count == 1)
            let clearAfter = try await client.json(.get, "\(path)/\(id)?unmasked=true&reason=check", token: fixture.token, headers: headers)
            #expect(clearAfter.text.contains(Self.other) && !clearAfter.text.contains(Self.name), "\(clearAfter.text)")

            // DELETE removes one party: 404 for one the alias does not hold.
            let second = try await client.json(
                .patch, "\(path)/\(id)", token: fixture.token,
                body: #"{"relatedParties":[\#(Self.party(Self.other, "ZZ-99")),\#(Self.party(Self.name, Self.document))]}"#, headers: headers
            )
            let ids = Self.parties(try second.object()).compactMap { $0["id"] as? String }
            #expect(ids.count == 2)
            let partyPath = "\(path)/\(id)/related-parties"
            try await client.json(.delete, "\(partyPath)/\(UUID().uuidString.lowercased())", token: fixture.token, headers: headers)
                .expectProblem(.notFound)
            #expect(try await client.json(.delete, "\(partyPath)/\(ids[0])", token: fixture.token, headers: headers).status == .noContent)
            let afterDelete = Self.parties(try await client.json(.get, "\(path)/\(id)", token: fixture.token, headers: headers).object())
            #expect(afterDelete.compactMap { $0["id"] as? String } == [ids[1]])
            try await client.json(.delete, "\(partyPath)/\(ids[0])", token: fixture.token, headers: headers).expectProblem(.notFound)
            let deletions = try await ControlRouteTests.records(client, fixture, action: "holder_alias.related_party.delete", resource: "holder_alias:\(id)")
            #expect(deletions.count == 1 && (deletions.first?["summary"] as? [String: Any])?["related_party_id"] as? String == ids[0])

            // Erasing the holder removes every one of its field rows, the parties' with them;
            // the alias stays, with none.
            let erased = try await HolderErasureTests.erase(client, holder, organization: fixture.organization, token: fixture.token)
            #expect(erased.status == .ok || erased.status == .noContent, "\(erased.text)")
            let gone = try #require(try await prepared.persistence.holders.find(id: holder, organizationID: fixture.organization, includeDeleted: true))
            #expect(gone.fields.isEmpty && gone.wrappedDataKey == nil)
            #expect(try await prepared.persistence.holderAliases.find(id: id, holderID: holder, organizationID: fixture.organization) != nil)
            let afterErasure = try await client.json(.get, "\(path)/\(id)?unmasked=true&reason=check", token: fixture.token, headers: headers)
            let partiesAfterErasure = Self.parties(try afterErasure.object())
            #expect(afterErasure.status == .ok && partiesAfterErasure.isEmpty, "\(afterErasure.text)")
        }
    }

    @Test(arguments: TestBackend.available)
    func badPartiesAreRefused(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let fixture = try await LedgerFixture.make(client)
            let (ledger, account) = try await HolderAliasRouteTests.ledger(fixture, settings: nil)
            let holder = try await HolderAliasRouteTests.holder(fixture.organization, prepared: prepared)
            func create(_ parties: String) async throws -> TestResponse {
                try await client.json(
                    .post, "/v1/holders/\(holder)/aliases", token: fixture.token,
                    body: #"{"ledgerId":"\#(ledger)","accountId":"\#(account)","relatedParties":[\#(parties)]}"#,
                    headers: HolderAliasRouteTests.headers(fixture.organization)
                )
            }
            let valid = Self.party("A", "1")
            for (parties, field) in [
                (Self.party(" ", "1"), "relatedParties[0].name"),
                (Self.party("A", ""), "relatedParties[0].document"),
                (Self.party("A", "--"), "relatedParties[0].document"),
                (Self.party(String(repeating: "n", count: 257), "1"), "relatedParties[0].name"),
                (Self.party("A", "1", role: "FRIEND"), "relatedParties[0].role"),
                (valid + "," + Self.party("A", "1", end: "2024-12-31"), "relatedParties[1].endDate"),
                (Self.party("A", "1", end: "2025-02-30"), "relatedParties[0].endDate"),
                (Array(repeating: valid, count: RelatedParty.maxPerAlias + 1).joined(separator: ","), "relatedParties"),
            ] {
                let refused = try await create(parties)
                try refused.expectProblem(.unprocessableContent, code: "SR-2025")
                #expect(refused.text.contains(field), "\(refused.text)")
            }
            try await create(#"{"name":"A"}"#).expectProblem(.badRequest, code: "SR-0002")
            try await create(#"{"name":"A","document":"1","role":"PRIMARY_HOLDER","startDate":"2025-01-01","nickname":"x"}"#)
                .expectProblem(.badRequest, code: "SR-0003")
            let rfc = try await create(Self.party("A", "1", end: "2026-01-01T00:00:00Z"))
            #expect(rfc.status == .created, "\(rfc.text)")
            let many = try await create(Array(repeating: valid, count: RelatedParty.maxPerAlias).joined(separator: ","))
            #expect(many.status == .created, "\(many.text)")
        }
    }

    /// The erasure replay's record is one the protection audit lists and filters by.
    @Test(arguments: TestBackend.available)
    func theProtectionAuditListsReappliedErasures(backend: TestBackend) async throws {
        #expect(HolderAudit.protectionActions.contains(HolderErasureReplay.action))
        try await TestServer.with(backend) { client, _, _ in
            let fixture = try await LedgerFixture.make(client)
            let listed = try await client.json(
                .get, "/v1/organizations/\(fixture.organization)/protection/audit?action=\(HolderErasureReplay.action)", token: fixture.token
            )
            #expect(listed.status == .ok, "\(listed.text)")
        }
    }
}
