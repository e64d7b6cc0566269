import Audit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// `/v1/holders` on both backends: a holder created and read masked; read in clear only with
/// `holders:read-pii`, a step-up and a reason, each such read audited and listed in the
/// organization's protection audit; the organization named in `X-Organization-Id` checked
/// against the caller's scope; idempotent creates storing no personal value; look-ups through
/// the blind index; changes field by field; soft delete.
@Suite("Holder routes")
struct HolderRouteTests {
    /// Distinctive values, so a hit anywhere is one of these.
    enum Planted {
        static let name = "Philippa Quenby-Ortolan"
        static let document = "QX-771.204.993/5"
        static let email = "philippa.quenby@ortolan-mail.example"
        static let phone = "+44 7700 900 417"
        static let line1 = "17 Wraxall Mews"
        static let city = "Upper Ditchford"
        static let mother = "Henrietta Quenby"
        static let all = [name, document, email, phone, line1, city, mother, "1979-03-14"]

        static let body = """
            {"type":"NATURAL_PERSON","name":"\(name)","document":"\(document)","externalId":"crm-17","metadata":{"tier":"gold"},
             "contact":{"primaryEmail":"\(email)","mobilePhone":"\(phone)"},
             "addresses":{"primary":{"line1":"\(line1)","city":"\(city)","country":"GB"}},
             "naturalPerson":{"motherName":"\(mother)","birthDate":"1979-03-14","nationality":"British"}}
            """
    }

    static func headers(_ organization: String, _ more: HTTPFields = [:]) -> HTTPFields {
        var headers = more
        headers[HTTPField.Name("X-Organization-Id")!] = organization
        return headers
    }

    static func query(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }

    static func create(_ client: any TestClientProtocol, _ books: LedgerFixture, _ body: String = Planted.body) async throws -> String {
        let created = try await client.json(.post, "/v1/holders", token: books.token, body: body, headers: headers(books.organization))
        #expect(created.status == .created, "\(created.text)")
        return try #require(try created.object()["id"] as? String)
    }

    static func expectNoPlantedValue(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for value in Planted.all { #expect(!text.contains(value), "\(what) holds a planted value", sourceLocation: sourceLocation) }
    }

    @Test(arguments: TestBackend.available)
    func aHolderIsReadMaskedAndInClearOnlyWithReadPIIAndAReasonEachClearReadAuditedAndListed(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let books = try await LedgerFixture.make(client, steppedUp: true)
            let org = Self.headers(books.organization)
            let created = try await client.json(.post, "/v1/holders", token: books.token, body: Planted.body, headers: org)
            #expect(created.status == .created, "\(created.text)")
            Self.expectNoPlantedValue(created.text, "the 201")
            let holder = try created.object()
            let id = try #require(holder["id"] as? String)
            #expect(holder["type"] as? String == "NATURAL_PERSON" && holder["externalId"] as? String == "crm-17")
            #expect(holder["name"] as? String == "P***" && holder["document"] as? String == "***/5")
            #expect((holder["contact"] as? [String: Any])?["primaryEmail"] as? String == "p***@ortolan-mail.example")
            #expect((holder["contact"] as? [String: Any])?["mobilePhone"] as? String == "***17")
            #expect(((holder["addresses"] as? [String: Any])?["primary"] as? [String: Any])?["city"] as? String == "***")
            #expect((holder["metadata"] as? [String: Any])?["tier"] as? String == "gold")
            #expect(holder["legalPerson"] == nil && holder["deletedAt"] == nil)

            // Masked by default, for the list too.
            let read = try await client.json(.get, "/v1/holders/\(id)", token: books.token, headers: org)
            #expect(read.status == .ok && read.text == created.text, "\(read.text)")
            let list = try await client.json(.get, "/v1/holders", token: books.token, headers: org)
            Self.expectNoPlantedValue(list.text, "the masked list")

            // In clear with a reason, and recorded before the answer.
            let reason = "KYC review, case 4411"
            let clear = try await client.json(
                .get, "/v1/holders/\(id)?unmasked=true&reason=\(Self.query(reason))", token: books.token, headers: org
            )
            #expect(clear.status == .ok, "\(clear.text)")
            let values = try clear.object()
            #expect(values["name"] as? String == Planted.name && values["document"] as? String == Planted.document)
            #expect((values["contact"] as? [String: Any])?["primaryEmail"] as? String == Planted.email)
            #expect((values["naturalPerson"] as? [String: Any])?["birthDate"] as? String == "1979-03-14")
            let records = try await ControlRouteTests.records(client, books, action: "holder.read_pii", resource: "holder:\(id)")
            #expect(records.count == 1)
            let summary = try #require(records.first?["summary"] as? [String: Any])
            #expect(summary["holders"] as? [String] == [id] && summary["reason"] as? String == reason)
            #expect(summary["organization_id"] as? String == books.organization)
            #expect((summary["fields"] as? [String])?.contains("contact.primaryEmail") == true)
            #expect((summary["fields"] as? [String])?.contains("naturalPerson.motherName") == true)

            // A clear list page holds at most 100.
            try await client.json(.get, "/v1/holders?unmasked=true&reason=audit&limit=101", token: books.token, headers: org)
                .expectProblem(.badRequest, code: "SR-0007")
            let clearList = try await client.json(.get, "/v1/holders?unmasked=true&reason=audit", token: books.token, headers: org)
            #expect(clearList.text.contains(Planted.email), "\(clearList.text)")
            // Asking without a reason, or a reason without asking, is refused.
            try await client.json(.get, "/v1/holders/\(id)?unmasked=true", token: books.token, headers: org)
                .expectProblem(.badRequest, code: "SR-0007")
            try await client.json(.get, "/v1/holders/\(id)?unmasked=true&reason=", token: books.token, headers: org)
                .expectProblem(.badRequest, code: "SR-0007")
            try await client.json(.get, "/v1/holders/\(id)?reason=why", token: books.token, headers: org)
                .expectProblem(.badRequest, code: "SR-0007")

            // holders:read alone reads masked and is refused clear values.
            let (_, reader) = try await IdentityFixture.user("reader", permissions: [.holdersRead], client: client, prepared: prepared)
            #expect(try await client.json(.get, "/v1/holders/\(id)", token: reader, headers: org).text == created.text)
            try await client.json(.get, "/v1/holders/\(id)?unmasked=true&reason=curious", token: reader, headers: org)
                .expectProblem(.forbidden, code: "SR-1003")
            try await client.json(.get, "/v1/holders?unmasked=true&reason=curious", token: reader, headers: org)
                .expectProblem(.forbidden, code: "SR-1003")

            // The protection audit lists the two clear reads, and nothing else.
            let audit = try await client.json(
                .get, "/v1/organizations/\(books.organization)/protection/audit", token: books.token
            )
            #expect(audit.status == .ok, "\(audit.text)")
            let envelope = try audit.object()
            #expect(envelope["organization_id"] as? String == books.organization)
            let items = try #require(envelope["items"] as? [[String: Any]])
            #expect(items.map { $0["action"] as? String } == ["holder.read_pii", "holder.read_pii"])
            #expect(items.first?["holder_ids"] as? [String] == [id] && items.first?["reason"] as? String == reason)
            #expect(items.last?["holder_ids"] as? [String] == [id] && items.last?["reason"] as? String == "audit")
            #expect((items.first?["actor"] as? String)?.hasPrefix("user:") == true)
            Self.expectNoPlantedValue(audit.text, "the protection audit")
            let filtered = try await client.json(
                .get, "/v1/organizations/\(books.organization)/protection/audit?action=holder.erase", token: books.token
            )
            #expect((try filtered.object()["items"] as? [[String: Any]])?.isEmpty == true)
            try await client.json(.get, "/v1/organizations/\(books.organization)/protection/audit?action=holder.create", token: books.token)
                .expectProblem(.badRequest, code: "SR-0007")
            let paged = try await client.json(
                .get, "/v1/organizations/\(books.organization)/protection/audit?limit=1", token: books.token
            ).object()
            let cursor = try #require(paged["next_cursor"] as? String)
            let next = try await client.json(
                .get, "/v1/organizations/\(books.organization)/protection/audit?limit=1&cursor=\(cursor)", token: books.token
            ).object()
            #expect((next["items"] as? [[String: Any]])?.first?["reason"] as? String == "audit")
            // Another organization's list is its own.
            let other = try await client.json(
                .post, "/v1/organizations", token: books.token, body: #"{"legalName":"Other Ltd","legalDocument":"87654321"}"#
            )
            let otherID = try #require(try other.object()["id"] as? String)
            let otherAudit = try await client.json(.get, "/v1/organizations/\(otherID)/protection/audit", token: books.token)
            #expect((try otherAudit.object()["items"] as? [[String: Any]])?.isEmpty == true, "\(otherAudit.text)")

            // The chain holds no planted value anywhere.
            var chain = ""
            try await prepared.persistence.audit.scan(after: 0) { page in
                chain += page.map { "\($0.resource) \($0.summary)" }.joined(separator: "\n")
                return true
            }
            Self.expectNoPlantedValue(chain, "the audit chain")
        }
    }

    /// An erasure, recorded by the erasure route, is listed beside the clear reads.
    @Test(arguments: TestBackend.available)
    func theProtectionAuditListsErasures(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let books = try await LedgerFixture.make(client, steppedUp: true)
            let id = try await Self.create(client, books)
            let erased = try await client.json(.post, "/v1/holders/\(id)/erase", token: books.token, headers: Self.headers(books.organization))
            #expect(erased.status == .ok, "\(erased.text)")
            let audit = try await client.json(
                .get, "/v1/organizations/\(books.organization)/protection/audit?action=holder.erase", token: books.token
            ).object()
            let items = try #require(audit["items"] as? [[String: Any]])
            #expect(items.count == 1 && items.first?["holder_ids"] as? [String] == [id] && items.first?["outcome"] as? String == "success")
            // Read after erasure, even in clear, the holder has no personal field left.
            let clear = try await client.json(
                .get, "/v1/holders/\(id)?include_deleted=true&unmasked=true&reason=check", token: books.token,
                headers: Self.headers(books.organization)
            )
            let values = try clear.object()
            #expect(clear.status == .ok && values["name"] == nil && values["erasedAt"] != nil, "\(clear.text)")
        }
    }

    /// The sensitive permission needs a step-up, decided as the guard decides it.
    @Test(arguments: TestBackend.available)
    func holdingReadPIIWithoutAStepUpIsRefusedClearValues(backend: TestBackend) async throws {
        let clock = SteppingClock(start: SystemClock().now())
        try await TestServer.with(backend, clock: clock) { client, prepared, _ in
            let books = try await LedgerFixture.make(client)
            let id = try await Self.create(client, books)
            let org = Self.headers(books.organization)
            let (_, plain) = try await IdentityFixture.user(
                "pii-reader", permissions: [.holdersRead, .holdersReadPII], stepUp: false, client: client, prepared: prepared
            )
            try await client.json(.get, "/v1/holders/\(id)?unmasked=true&reason=check", token: plain, headers: org)
                .expectProblem(.forbidden, code: "SR-1023")
            let authenticator = try await client.enrol(token: plain, clock: clock)
            clock.advance(seconds: 6)
            try await client.json(.get, "/v1/holders/\(id)?unmasked=true&reason=check", token: plain, headers: org)
                .expectProblem(.forbidden, code: "SR-1022")
            #expect(try await client.json(.get, "/v1/holders/\(id)", token: plain, headers: org).status == .ok)
            let elevated = try await client.elevate(token: plain, authenticator: authenticator)
            let clear = try await client.json(.get, "/v1/holders/\(id)?unmasked=true&reason=check", token: elevated, headers: org)
            #expect(clear.status == .ok && clear.text.contains(Planted.name), "\(clear.text)")
        }
    }

    /// The issue's cross-organization test: a principal scoped to A naming B in
    /// `X-Organization-Id` is refused as if B were in the path; no header is a 400.
    @Test(arguments: TestBackend.available)
    func aPrincipalOfOneOrganizationCannotReachAnothersHolders(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let a = try await LedgerFixture.make(client)
            let b = try await LedgerFixture.make(client)
            let theirs = try await Self.create(client, b)
            let scope = try #require(AccessScope(organizationID: a.organization, ledgerID: nil))
            let (_, operator_) = try await IdentityFixture.user(
                "operator-a", permissions: [.holdersRead, .holdersWrite, .holdersReadPII], scope: scope, client: client, prepared: prepared
            )
            let intoB = Self.headers(b.organization)
            try await client.json(.post, "/v1/holders", token: operator_, body: Planted.body, headers: intoB)
                .expectProblem(.forbidden, code: "SR-1009")
            for path in ["/v1/holders", "/v1/holders/\(theirs)", "/v1/holders/\(theirs)?unmasked=true&reason=x"] {
                try await client.json(.get, path, token: operator_, headers: intoB).expectProblem(.forbidden, code: "SR-1009")
            }
            try await client.json(.patch, "/v1/holders/\(theirs)", token: operator_, body: #"{"name":"X"}"#, headers: intoB)
                .expectProblem(.forbidden, code: "SR-1009")
            try await client.json(.delete, "/v1/holders/\(theirs)", token: operator_, headers: intoB).expectProblem(.forbidden, code: "SR-1009")
            // B's holder named under A's header is not found: ids do not cross organizations.
            let intoA = Self.headers(a.organization)
            try await client.json(.get, "/v1/holders/\(theirs)", token: operator_, headers: intoA).expectProblem(.notFound)
            let ours = try await client.json(.post, "/v1/holders", token: operator_, body: Planted.body, headers: intoA)
            #expect(ours.status == .created, "\(ours.text)")
            let listed = try await client.json(.get, "/v1/holders", token: operator_, headers: intoA).object()
            #expect((listed["items"] as? [[String: Any]])?.count == 1)

            try await client.json(.get, "/v1/holders", token: operator_).expectProblem(.badRequest, code: "SR-0008")
            try await client.json(.post, "/v1/holders", token: operator_, body: Planted.body).expectProblem(.badRequest, code: "SR-0008")
            try await client.json(.get, "/v1/holders", token: operator_, headers: Self.headers("not-an-id"))
                .expectProblem(.badRequest, code: "SR-0008")
            // An organization that does not exist has no holders to make.
            try await client.json(.post, "/v1/holders", token: a.token, body: Planted.body, headers: Self.headers(UUID().uuidString))
                .expectProblem(.notFound)
            #expect(try await prepared.persistence.holders.list(organizationID: b.organization, after: nil, limit: 10).count == 1)
        }
    }

    /// A replay answers the same masked 201 and creates nothing more; the stored answer
    /// holds no planted value.
    @Test(arguments: TestBackend.available)
    func anIdempotentCreateActsOnceAndStoresNoPersonalValue(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let books = try await LedgerFixture.make(client)
            let keyed = Self.headers(books.organization, [HTTPField.Name("Idempotency-Key")!: "holder-1"])
            let first = try await client.json(.post, "/v1/holders", token: books.token, body: Planted.body, headers: keyed)
            #expect(first.status == .created, "\(first.text)")
            let again = try await client.json(.post, "/v1/holders", token: books.token, body: Planted.body, headers: keyed)
            #expect(again.status == .created && again.headers[HTTPField.Name("X-Idempotency-Replayed")!] == "true")
            #expect(again.text == first.text)
            Self.expectNoPlantedValue(again.text, "the replay")
            #expect(try await prepared.persistence.holders.list(organizationID: books.organization, after: nil, limit: 10).count == 1)
            // The same key for another organization is another request.
            let other = try await LedgerFixture.make(client)
            let elsewhere = try await client.json(
                .post, "/v1/holders", token: books.token, body: Planted.body,
                headers: Self.headers(other.organization, [HTTPField.Name("Idempotency-Key")!: "holder-1"])
            )
            #expect(elsewhere.status == .created && elsewhere.headers[HTTPField.Name("X-Idempotency-Replayed")!] == nil)

            let stored = try await prepared.persistence.database.direct.query("SELECT body FROM ledger_idempotency", [])
            #expect(stored.count >= 2)
            for row in stored {
                let bytes = try row.bytes("body")
                Self.expectNoPlantedValue(String(decoding: bytes, as: UTF8.self), "a stored answer")
                Self.expectNoPlantedValue(Data(bytes).base64EncodedString(), "a stored answer, as base64")
            }
        }
    }

    /// Look-ups by document and email go through the blind index, whatever the spelling.
    @Test(arguments: TestBackend.available)
    func filtersFindHoldersThroughTheBlindIndexAndPagesFollowTheCursor(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let books = try await LedgerFixture.make(client)
            let org = Self.headers(books.organization)
            let first = try await Self.create(client, books)
            let second = try await Self.create(
                client, books,
                #"{"type":"LEGAL_PERSON","name":"Ortolan Holdings Ltd","document":"09876543","externalId":"crm-18","legalPerson":{"tradeName":"Ortolan","representative":{"email":"board@ortolan.example"}},"contact":{"primaryEmail":"accounts@ortolan.example"}}"#
            )
            func ids(_ query: String) async throws -> [String] {
                let page = try await client.json(.get, "/v1/holders?\(query)", token: books.token, headers: org)
                #expect(page.status == .ok, "\(query): \(page.text)")
                return try #require(try page.object()["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            }
            #expect(try await ids("document=\(Self.query(Planted.document))") == [first])
            #expect(try await ids("document=QX7712049935") == [first])
            #expect(try await ids("document=\(Self.query("qx 771-204-993.5"))") == [first])
            #expect(try await ids("document=QX7712049936").isEmpty)
            #expect(try await ids("email=\(Self.query("  Philippa.Quenby@ORTOLAN-mail.example "))") == [first])
            #expect(try await ids("email=\(Self.query("accounts@ortolan.example"))") == [second])
            // Only the primary email is indexed.
            #expect(try await ids("email=\(Self.query("board@ortolan.example"))").isEmpty)
            #expect(try await ids("external_id=crm-18") == [second])
            #expect(try await ids("external_id=crm-18&document=09876543") == [second])
            #expect(try await ids("external_id=crm-17&document=09876543").isEmpty)

            let page = try await client.json(.get, "/v1/holders?limit=1", token: books.token, headers: org).object()
            #expect((page["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [first])
            let cursor = try #require(page["next_cursor"] as? String)
            #expect(try await ids("limit=1&cursor=\(cursor)") == [second])
            for bad in ["limit=0", "cursor=x", "include_deleted=yes", "unmasked=maybe", "document="] {
                try await client.json(.get, "/v1/holders?\(bad)", token: books.token, headers: org).expectProblem(.badRequest, code: "SR-0007")
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func aChangeMergesFieldByFieldAndABadBodyIsRefusedWithEveryBadField(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let books = try await LedgerFixture.make(client, steppedUp: true)
            let org = Self.headers(books.organization)
            let id = try await Self.create(client, books)
            let path = "/v1/holders/\(id)"
            func clear() async throws -> [String: Any] {
                try await client.json(.get, "\(path)?unmasked=true&reason=test", token: books.token, headers: org).object()
            }
            let changed = try await client.json(
                .patch, path, token: books.token, body: #"{"name":null,"type":null,"document":null,"contact":{"mobilePhone":"+44 7700 900 999","otherPhone":null},"externalId":"crm-99"}"#,
                headers: org
            )
            #expect(changed.status == .ok, "\(changed.text)")
            Self.expectNoPlantedValue(changed.text, "the PATCH answer")
            var now = try await clear()
            #expect(now["name"] as? String == Planted.name && now["document"] as? String == Planted.document)
            #expect((now["contact"] as? [String: Any])?["primaryEmail"] as? String == Planted.email)
            #expect((now["contact"] as? [String: Any])?["mobilePhone"] as? String == "+44 7700 900 999")
            #expect(now["externalId"] as? String == "crm-99" && (now["metadata"] as? [String: Any])?["tier"] as? String == "gold")
            // An empty string removes a field, and its look-up term with it.
            let removed = try await client.json(.patch, path, token: books.token, body: #"{"contact":{"primaryEmail":""}}"#, headers: org)
            #expect(removed.status == .ok, "\(removed.text)")
            now = try await clear()
            #expect((now["contact"] as? [String: Any])?["primaryEmail"] == nil)
            let found = try await client.json(.get, "/v1/holders?email=\(Self.query(Planted.email))", token: books.token, headers: org)
            #expect((try found.object()["items"] as? [[String: Any]])?.isEmpty == true)

            try await client.json(.patch, path, token: books.token, body: #"{"document":"123"}"#, headers: org)
                .expectProblem(.badRequest, code: "SR-0003")
            try await client.json(.patch, path, token: books.token, body: #"{"type":"LEGAL_PERSON"}"#, headers: org)
                .expectProblem(.badRequest, code: "SR-0003")
            try await client.json(.patch, path, token: books.token, body: #"{"name":""}"#, headers: org)
                .expectProblem(.unprocessableContent, code: "SR-2025")
            try await client.json(.patch, path, token: books.token, body: #"{"legalPerson":{"tradeName":"X"}}"#, headers: org)
                .expectProblem(.unprocessableContent, code: "SR-2025")
            try await client.json(.patch, "/v1/holders/\(UUID().uuidString)", token: books.token, body: #"{"name":"X"}"#, headers: org)
                .expectProblem(.notFound)

            func post(_ body: String) async throws -> TestResponse {
                try await client.json(.post, "/v1/holders", token: books.token, body: body, headers: org)
            }
            try await post(#"{"type":"NATURAL_PERSON","document":"1"}"#).expectProblem(.badRequest, code: "SR-0002")
            try await post(#"{"type":"NATURAL_PERSON","name":null,"document":"1"}"#).expectProblem(.badRequest, code: "SR-0002")
            try await post(#"{"type":"NATURAL_PERSON","name":"A","document":"1","colour":"red"}"#).expectProblem(.badRequest, code: "SR-0003")
            try await post(#"{"type":"NATURAL_PERSON","name":"A","document":"1","contact":{"fax":"1"}}"#).expectProblem(.badRequest, code: "SR-0003")
            try await post(#"{"type":"NATURAL_PERSON","name":"A","document":1}"#).expectProblem(.badRequest, code: "SR-0002")
            let bad = try await post(
                #"{"type":"NATURAL_PERSON","name":"","document":"--..","contact":{"primaryEmail":"nobody","mobilePhone":"call me"},"addresses":{"primary":{"country":"gb"}},"naturalPerson":{"birthDate":"1979-02-30"},"legalPerson":{"tradeName":"X"}}"#
            )
            try bad.expectProblem(.unprocessableContent, code: "SR-2025")
            let fields = Set(try #require(try bad.object()["fields"] as? [[String: Any]]).compactMap { $0["field"] as? String })
            #expect(fields == [
                "name", "document", "contact.primaryEmail", "contact.mobilePhone", "addresses.primary.country", "naturalPerson.birthDate",
                "legalPerson",
            ])
            Self.expectNoPlantedValue(bad.text, "a refusal")
            try await post(#"{"type":"ROBOT","name":"A","document":"1"}"#).expectProblem(.unprocessableContent, code: "SR-2025")
            try await post(#"{"type":"NATURAL_PERSON","name":"\#(String(repeating: "a", count: 257))","document":"1"}"#)
                .expectProblem(.unprocessableContent, code: "SR-2025")
            try await post(#"{"type":"NATURAL_PERSON","name":"A","document":"1","metadata":{"":"x"}}"#)
                .expectProblem(.unprocessableContent, code: "SR-2024")
        }
    }

    @Test(arguments: TestBackend.available)
    func aDeletedHolderIsHiddenUnlessAskedForAndHardDeleteIsErasure(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let books = try await LedgerFixture.make(client)
            let org = Self.headers(books.organization)
            let kept = try await Self.create(client, books)
            let gone = try await Self.create(client, books)
            try await client.json(.delete, "/v1/holders/\(gone)?hard_delete=true", token: books.token, headers: org)
                .expectProblem(.badRequest, code: "SR-0007")
            let deleted = try await client.json(.delete, "/v1/holders/\(gone)", token: books.token, headers: org)
            #expect(deleted.status == .noContent, "\(deleted.text)")
            try await client.json(.delete, "/v1/holders/\(gone)", token: books.token, headers: org).expectProblem(.notFound)
            try await client.json(.get, "/v1/holders/\(gone)", token: books.token, headers: org).expectProblem(.notFound)
            try await client.json(.patch, "/v1/holders/\(gone)", token: books.token, body: #"{"name":"B"}"#, headers: org)
                .expectProblem(.notFound)
            func ids(_ query: String) async throws -> [String] {
                let page = try await client.json(.get, "/v1/holders\(query)", token: books.token, headers: org)
                return try #require(try page.object()["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            }
            #expect(try await ids("") == [kept])
            #expect(try await ids("?include_deleted=true") == [kept, gone])
            let shown = try await client.json(.get, "/v1/holders/\(gone)?include_deleted=true", token: books.token, headers: org)
            let deletedAt = try shown.object()["deletedAt"] as? String
            #expect(shown.status == .ok && deletedAt != nil, "\(shown.text)")
            #expect(try await ids("?document=\(Self.query(Planted.document))") == [kept])
            let records = try await ControlRouteTests.records(client, books, action: "holder.delete", resource: "holder:\(gone)")
            #expect(records.count == 1 && records.first?["outcome"] as? String == "success")
        }
    }
}
