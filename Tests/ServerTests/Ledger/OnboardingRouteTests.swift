import Foundation
import HTTPTypes
import HummingbirdTesting
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Organizations, ledgers, assets, portfolios, segments and accounts through their HTTP
/// routes, on both backends: shapes, lifecycles and soft deletes, the rules that refuse,
/// list queries, cursors, path ids and idempotency.
@Suite("Onboarding routes")
struct OnboardingRouteTests {
    // MARK: Organizations

    @Test(arguments: TestBackend.available)
    func organizationLivesFromCreateThroughPagingToSoftDelete(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let admin = try await Admin.login(client)
            let created = try await admin.send(.post, organizations, #"{"legalName":"Acme Ltd","legalDocument":"12345678"}"#)
            #expect(created.status == .created, "\(created.text)")
            let acme = try created.object()
            #expect(Set(acme.keys) == ["id", "legalName", "legalDocument", "status", "metadata", "createdAt", "updatedAt"])
            let id = try #require(acme["id"] as? String)
            #expect(isUUIDv7(id))
            #expect(acme["legalName"] as? String == "Acme Ltd")
            #expect(acme["legalDocument"] as? String == "12345678")
            #expect(acme["status"] as? [String: String] == ["code": "ACTIVE"])
            #expect((acme["metadata"] as? [String: Any])?.isEmpty == true)
            #expect(isTimestamp(acme["createdAt"]))
            #expect(acme["updatedAt"] as? String == acme["createdAt"] as? String)

            let path = "\(organizations)/\(id)"
            let read = try await admin.send(.get, path)
            #expect(read.status == .ok)
            #expect(read.text == created.text)

            // PATCH replaces the fields it names; metadata is replaced whole, not merged.
            let renamed = try await admin.send(.patch, path, #"{"legalName":"Acme Group","metadata":{"region":"eu","n":1}}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            let patch = try await admin.send(.patch, path, #"{"metadata":{"vip":true}}"#)
            #expect(patch.status == .ok, "\(patch.text)")
            let patched = try patch.object()
            #expect(patched["legalName"] as? String == "Acme Group")
            #expect(patched["legalDocument"] as? String == "12345678")
            #expect(patch.text.contains(#""metadata":{"vip":true}"#), "\(patch.text)")
            #expect(patched["createdAt"] as? String == acme["createdAt"] as? String)
            #expect(try await admin.send(.get, path).text == patch.text)

            // Paging: three organizations over pages of two.
            let beta = try await admin.createdID(organizations, #"{"legalName":"Beta","legalDocument":"2"}"#)
            let gamma = try await admin.createdID(organizations, #"{"legalName":"Gamma","legalDocument":"3"}"#)
            let everyone: Set = [id, beta, gamma]
            let first = try await admin.read("\(organizations)?limit=2&page=1")
            #expect(first["page"] as? Int == 1)
            #expect(first["limit"] as? Int == 2)
            let second = try await admin.read("\(organizations)?limit=2&page=2")
            #expect(second["page"] as? Int == 2)
            let beyond = try await admin.ids("\(organizations)?limit=2&page=3")
            let firstIDs = itemIDs(first), secondIDs = itemIDs(second)
            #expect(firstIDs.count == 2)
            #expect(secondIDs.count == 1)
            #expect(beyond.isEmpty)
            #expect(Set(firstIDs + secondIDs) == everyone)
            let defaults = try await admin.read(organizations)
            #expect(defaults["page"] as? Int == 1)
            #expect(defaults["limit"] as? Int == 10)
            #expect(Set(itemIDs(defaults)) == everyone)
            #expect(try await admin.count(organizations) == 3)

            // Soft delete: gone from reads, lists and the count; a second delete finds nothing.
            let deleted = try await admin.send(.delete, path)
            #expect(deleted.status == .noContent)
            try await admin.send(.get, path).expectProblem(.notFound, code: "SR-2020")
            try await admin.send(.patch, path, #"{"legalName":"Back again"}"#).expectProblem(.notFound, code: "SR-2020")
            try await admin.send(.delete, path).expectProblem(.notFound, code: "SR-2020")
            #expect(Set(try await admin.ids("\(organizations)?limit=100")) == [beta, gamma])
            #expect(try await admin.count(organizations) == 2)
        }
    }

    @Test(arguments: TestBackend.available)
    func organizationWithALiveLedgerCannotBeDeleted(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let admin = try await Admin.login(client)
            let organization = try await admin.createdID(organizations, #"{"legalName":"Acme Ltd","legalDocument":"1"}"#)
            let path = "\(organizations)/\(organization)"
            let ledger = try await admin.createdID("\(path)/ledgers", #"{"name":"Main"}"#)
            try await admin.send(.delete, path).expectProblem(.unprocessableContent, code: "SR-2028")
            #expect(try await admin.send(.get, path).status == .ok)
            #expect(try await admin.send(.delete, "\(path)/ledgers/\(ledger)").status == .noContent)
            #expect(try await admin.send(.delete, path).status == .noContent)
            #expect(try await admin.count(organizations) == 0)
        }
    }

    @Test(arguments: TestBackend.available)
    func organizationBodiesAreRefusedFieldByField(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let admin = try await Admin.login(client)
            try await admin.send(.post, organizations, #"{"legalName":"Acme Ltd"}"#).expectProblem(.badRequest, code: "SR-0002")
            try await admin.send(
                .post, organizations, #"{"legalName":"Acme Ltd","legalDocument":"1","address":{"line1":"Main St 1","planet":"Mars"}}"#
            ).expectProblem(.badRequest, code: "SR-0003")
            let longName = String(repeating: "n", count: 300)
            try await admin.send(.post, organizations, #"{"legalName":"\#(longName)","legalDocument":"1"}"#)
                .expectProblem(.unprocessableContent, code: "SR-2025")
            try await admin.send(.post, organizations, organization(metadata: manyKeys(51))).expectProblem(.unprocessableContent, code: "SR-2024")
            for value in [#"{"nested":"object"}"#, #"["an","array"]"#, "null"] {
                try await admin.send(.post, organizations, organization(metadata: #"{"key":\#(value)}"#)).expectProblem(.badRequest)
            }
            #expect(try await admin.count(organizations) == 0)

            // The bounds themselves are allowed.
            _ = try await admin.created(organizations, organization(metadata: manyKeys(50)))
            _ = try await admin.created(organizations, #"{"legalName":"\#(String(repeating: "n", count: 256))","legalDocument":"1"}"#)
            #expect(try await admin.count(organizations) == 2)
        }
    }

    // MARK: Ledgers, assets, portfolios, segments

    @Test(arguments: TestBackend.available)
    func ledgerAndItsGroupingsLiveFromCreateToDelete(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let admin = try await Admin.login(client)
            let organization = try await admin.createdID(organizations, #"{"legalName":"Acme Ltd","legalDocument":"1"}"#)
            let ledgers = "\(organizations)/\(organization)/ledgers"
            let created = try await admin.send(.post, ledgers, #"{"name":"Main","metadata":{"team":"ops"}}"#)
            #expect(created.status == .created, "\(created.text)")
            let ledger = try created.object()
            let ledgerID = try #require(ledger["id"] as? String)
            #expect(ledger["organizationId"] as? String == organization)
            #expect(ledger["name"] as? String == "Main")
            #expect(ledger["status"] as? [String: String] == ["code": "ACTIVE"])
            let book = "\(ledgers)/\(ledgerID)"
            #expect(try await admin.send(.get, book).text == created.text)
            let patched = try await admin.send(.patch, book, #"{"name":"Main book","status":{"code":"CLOSED","description":"year end"}}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(try patched.object()["name"] as? String == "Main book")
            #expect(try patched.object()["status"] as? [String: String] == ["code": "CLOSED", "description": "year end"])
            #expect(patched.text.contains(#""metadata":{"team":"ops"}"#), "a PATCH without metadata keeps it")
            #expect(try await admin.ids(ledgers) == [ledgerID])
            #expect(try await admin.count(ledgers) == 1)

            // Each grouping entity, through its six routes.
            let kinds = [
                ("assets", #"{"name":"Gold","type":"commodity","code":"XAU"}"#, "Gold bullion"),
                ("portfolios", #"{"name":"Fund","entityId":"customer-1"}"#, "Fund II"),
                ("segments", #"{"name":"Retail"}"#, "Retail EU"),
            ]
            for (collection, body, newName) in kinds {
                let path = "\(book)/\(collection)"
                let made = try await admin.send(.post, path, body)
                #expect(made.status == .created, "\(collection): \(made.text)")
                let entity = try made.object()
                let id = try #require(entity["id"] as? String)
                #expect(entity["organizationId"] as? String == organization)
                #expect(entity["ledgerId"] as? String == ledgerID)
                #expect(try await admin.send(.get, "\(path)/\(id)").text == made.text, "\(collection)")
                let renamed = try await admin.send(.patch, "\(path)/\(id)", #"{"name":"\#(newName)"}"#)
                #expect(renamed.status == .ok, "\(collection): \(renamed.text)")
                #expect(try renamed.object()["name"] as? String == newName)
                #expect(try await admin.read("\(path)/\(id)")["name"] as? String == newName)
                #expect(try await admin.ids(path) == [id], "\(collection)")
                #expect(try await admin.count(path) == 1, "\(collection)")
                #expect(try await admin.send(.delete, "\(path)/\(id)").status == .noContent, "\(collection)")
                try await admin.send(.get, "\(path)/\(id)").expectProblem(.notFound, code: "SR-2020")
                #expect(try await admin.ids(path).isEmpty, "\(collection)")
                #expect(try await admin.count(path) == 0, "\(collection)")
            }
            try await admin.send(.post, "\(book)/portfolios", #"{"entityId":"customer-1"}"#).expectProblem(.badRequest, code: "SR-0002")

            // A ledger with an asset cannot be deleted; once empty it can.
            let usd = try await admin.createdID("\(book)/assets", #"{"name":"US Dollar","type":"currency","code":"USD"}"#)
            try await admin.send(.delete, book).expectProblem(.unprocessableContent, code: "SR-2028")
            #expect(try await admin.send(.delete, "\(book)/assets/\(usd)").status == .noContent)
            #expect(try await admin.send(.delete, book).status == .noContent)
            try await admin.send(.get, book).expectProblem(.notFound, code: "SR-2020")
            #expect(try await admin.count(ledgers) == 0)
        }
    }

    @Test(arguments: TestBackend.available)
    func assetsBringTheirExternalAccountAndKeepTheirRules(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            let usd = try #require(try await ledger.items("/assets").first)
            #expect(usd["code"] as? String == "USD")
            #expect(usd["scale"] as? Int == 2)
            for (code, type, scale) in [("BTC", "crypto", 8), ("XAU", "commodity", 0), ("PTS", "others", 0)] {
                let asset = try await ledger.created("/assets", #"{"name":"\#(code)","type":"\#(type)","code":"\#(code)"}"#)
                #expect(asset["scale"] as? Int == scale, "\(type)")
                #expect(asset["type"] as? String == type)
            }
            #expect(try await ledger.count("/assets") == 4)

            let external = try await ledger.read("/accounts/external/BTC")
            #expect(external["alias"] as? String == "@external/BTC")
            #expect(external["type"] as? String == "external")
            #expect(external["assetCode"] as? String == "BTC")
            let balances = try await ledger.items("/accounts/external/BTC/balances")
            #expect(balances.count == 1)
            #expect(balances.first?["alias"] as? String == "@external/BTC")
            #expect(balances.first?["available"] as? String == "0.00000000")
            #expect(try await ledger.items("/balances?limit=100").contains { $0["alias"] as? String == "@external/XAU" })
            try await ledger.get("/accounts/external/EUR").expectProblem(.notFound, code: "SR-2020")

            try await ledger.post("/assets", #"{"name":"Again","type":"currency","code":"USD"}"#).expectProblem(.conflict, code: "SR-2022")
            try await ledger.post("/assets", #"{"name":"Deep","type":"crypto","code":"DEEP","scale":19}"#)
                .expectProblem(.unprocessableContent, code: "SR-2025")
            try await ledger.post("/assets", #"{"name":"Low","type":"currency","code":"eur"}"#).expectProblem(.unprocessableContent, code: "SR-2025")
            try await ledger.post("/assets", #"{"name":"Stock","type":"stock","code":"ACME"}"#).expectProblem(.unprocessableContent, code: "SR-2025")
            #expect(try await ledger.created("/assets", #"{"name":"Fine","type":"crypto","code":"FINE","scale":18}"#)["scale"] as? Int == 18)

            // Deleting an unused asset takes its external account along; the code is free again.
            let points = try #require(try await ledger.items("/assets?limit=100").first { $0["code"] as? String == "PTS" }?["id"] as? String)
            #expect(try await ledger.send(.delete, "/assets/\(points)").status == .noContent)
            try await ledger.get("/accounts/external/PTS").expectProblem(.notFound, code: "SR-2020")
            _ = try await ledger.created("/assets", #"{"name":"Points","type":"others","code":"PTS"}"#)
            #expect(try await ledger.get("/accounts/external/PTS").status == .ok)
        }
    }

    // MARK: Accounts

    @Test(arguments: TestBackend.available)
    func accountsHaveUniqueAliasesAndRealReferences(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            let created = try await ledger.post("/accounts", #"{"assetCode":"USD","type":"deposit","alias":"@alice","name":"Alice"}"#)
            #expect(created.status == .created, "\(created.text)")
            let alice = try created.object()
            let aliceID = try #require(alice["id"] as? String)
            #expect(Set(alice.keys) == [
                "id", "organizationId", "ledgerId", "assetCode", "name", "alias", "type", "blocked", "status", "metadata", "createdAt", "updatedAt",
            ])
            #expect(alice["alias"] as? String == "@alice")
            #expect(alice["blocked"] as? Bool == false)
            let byAlias = try await ledger.get("/accounts/alias/@alice")
            #expect(byAlias.text == created.text)

            try await ledger.post("/accounts", #"{"assetCode":"USD","type":"savings","alias":"@alice"}"#).expectProblem(.conflict, code: "SR-2021")
            try await ledger.post("/accounts", #"{"assetCode":"USD","type":"deposit","alias":"@externalCash"}"#)
                .expectProblem(.unprocessableContent, code: "SR-2029")
            try await ledger.post("/accounts", #"{"assetCode":"EUR","type":"deposit","alias":"@euro"}"#).expectProblem(.unprocessableContent, code: "SR-2017")
            try await ledger.post("/accounts", #"{"assetCode":"USD","type":"deposit","portfolioId":"\#(absentID)"}"#)
                .expectProblem(.unprocessableContent, code: "SR-2033")
            try await ledger.post("/accounts", #"{"assetCode":"USD","type":"deposit","segmentId":"\#(absentID)"}"#)
                .expectProblem(.unprocessableContent, code: "SR-2033")

            // Without an alias, the account's id is its alias.
            let anonymous = try await ledger.created("/accounts", #"{"assetCode":"USD","type":"deposit"}"#)
            let anonymousID = try #require(anonymous["id"] as? String)
            #expect(anonymous["alias"] as? String == anonymousID)
            #expect(try await ledger.read("/accounts/alias/\(anonymousID)")["id"] as? String == anonymousID)

            // A blocked account neither receives nor sends until it is unblocked.
            let blocked = try await ledger.send(.patch, "/accounts/\(aliceID)", #"{"blocked":true}"#)
            #expect(blocked.status == .ok, "\(blocked.text)")
            #expect(try blocked.object()["blocked"] as? Bool == true)
            #expect(try await ledger.read("/accounts/\(aliceID)")["blocked"] as? Bool == true)
            try await ledger.post("/transactions/inflow", LedgerFixture.inflow("@alice", "5.00")).expectProblem(.unprocessableContent, code: "SR-2013")
            #expect(try await ledger.send(.patch, "/accounts/\(aliceID)", #"{"blocked":false}"#).status == .ok)
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "5.00"))
            #expect(try await ledger.money("@alice") == ("5.00", "0.00"))
        }
    }

    /// API.md: SR-2029 is "The alias is reserved (`@external/…`)", so the reserved form itself
    /// must be told it is reserved, whatever else is wrong with it.
    @Test(arguments: TestBackend.available)
    func externalStyleAliasIsRefusedAsReserved(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            try await ledger.post("/accounts", #"{"assetCode":"USD","type":"deposit","alias":"@external/USD"}"#)
                .expectProblem(.unprocessableContent, code: "SR-2029")
        }
    }

    @Test(arguments: TestBackend.available)
    func accountDeletesAreGuardedAndFreeTheAlias(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)

            // A portfolio in use stays until its account goes.
            let portfolio = try await ledger.createdID("/portfolios", #"{"name":"Fund"}"#)
            let member = try await ledger.created("/accounts", #"{"assetCode":"USD","type":"deposit","alias":"@member","portfolioId":"\#(portfolio)"}"#)
            let memberID = try #require(member["id"] as? String)
            #expect(member["portfolioId"] as? String == portfolio)
            try await ledger.send(.delete, "/portfolios/\(portfolio)").expectProblem(.unprocessableContent, code: "SR-2028")

            // External accounts and their balances are the ledger's own.
            let external = try await ledger.read("/accounts/external/USD")
            let externalID = try #require(external["id"] as? String)
            try await ledger.send(.patch, "/accounts/\(externalID)", #"{"name":"Mine now"}"#).expectProblem(.unprocessableContent, code: "SR-2034")
            try await ledger.send(.delete, "/accounts/\(externalID)").expectProblem(.unprocessableContent, code: "SR-2034")
            let externalBalance = try #require(try await ledger.balance("@external/USD")["id"] as? String)
            try await ledger.send(.patch, "/balances/\(externalBalance)", #"{"allowSending":false}"#)
                .expectProblem(.unprocessableContent, code: "SR-2034")
            #expect(try await ledger.read("/accounts/\(externalID)")["name"] as? String == external["name"] as? String)

            // An empty account goes, and its alias can be taken again.
            let temporary = try await ledger.account("@temp")
            #expect(try await ledger.send(.delete, "/accounts/\(temporary)").status == .noContent)
            try await ledger.get("/accounts/\(temporary)").expectProblem(.notFound, code: "SR-2020")
            try await ledger.get("/accounts/alias/@temp").expectProblem(.notFound, code: "SR-2020")
            let again = try await ledger.account("@temp")
            #expect(again != temporary)
            #expect(try await ledger.read("/accounts/alias/@temp")["id"] as? String == again)
            #expect(try await ledger.balance("@temp")["accountId"] as? String == again)

            // An account holding money does not go.
            try await ledger.account("@rich")
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@rich", "1.00"))
            let rich = try #require(try await ledger.read("/accounts/alias/@rich")["id"] as? String)
            try await ledger.send(.delete, "/accounts/\(rich)").expectProblem(.unprocessableContent, code: "SR-2023")

            #expect(try await ledger.send(.delete, "/accounts/\(memberID)").status == .noContent)
            #expect(try await ledger.send(.delete, "/portfolios/\(portfolio)").status == .noContent)
        }
    }

    // MARK: Lists

    @Test(arguments: TestBackend.available)
    func pageListsFilterByMetadataSortAndBoundByDay(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            let gold = try await ledger.created("/accounts", account("@gold", metadata: #"{"tier":"gold","n":42,"vip":true}"#))
            let goldID = try #require(gold["id"] as? String)
            let gilt = try await ledger.createdID("/accounts", account("@gilt", metadata: #"{"tier":"gold","n":7,"vip":false}"#))
            let silver = try await ledger.createdID("/accounts", account("@silver", metadata: #"{"tier":"silver","n":42.5}"#))
            let plain = try await ledger.createdID("/accounts", account("@plain", metadata: "{}"))
            let external = try #require(try await ledger.read("/accounts/external/USD")["id"] as? String)
            let all: Set = [goldID, gilt, silver, plain, external]

            let accounts = "/accounts?limit=100"
            #expect(Set(try await ledger.ids("\(accounts)&metadata.tier=gold")) == [goldID, gilt])
            #expect(try await ledger.ids("\(accounts)&metadata.tier=silver") == [silver])
            #expect(try await ledger.ids("\(accounts)&metadata.tier=bronze").isEmpty)
            #expect(try await ledger.ids("\(accounts)&metadata.n=42") == [goldID])
            #expect(try await ledger.ids("\(accounts)&metadata.n=42.5") == [silver])
            #expect(try await ledger.ids("\(accounts)&metadata.vip=true") == [goldID])
            #expect(try await ledger.ids("\(accounts)&metadata.vip=false") == [gilt])
            #expect(try await ledger.ids("\(accounts)&metadata.tier=gold&metadata.n=7") == [gilt])

            let ascending = try await ledger.ids(accounts)
            #expect(Set(ascending) == all)
            #expect(ascending.count == all.count)
            #expect(try await ledger.ids("\(accounts)&sort_order=asc") == ascending)
            #expect(try await ledger.ids("\(accounts)&sort_order=desc") == Array(ascending.reversed()))

            let today = String(try #require(gold["createdAt"] as? String).prefix(10))
            #expect(Set(try await ledger.ids("\(accounts)&start_date=\(today)&end_date=\(today)")) == all)
            #expect(try await ledger.ids("\(accounts)&start_date=2001-01-01&end_date=2001-12-31").isEmpty)
            #expect(Set(try await ledger.ids("\(accounts)&start_date=2001-01-01&end_date=\(today)&metadata.tier=gold")) == [goldID, gilt])
        }
    }

    /// API.md: `metadata.<key>=<value>` is equality on the value rendered as text; a number
    /// renders as the API shows it, whatever its size or precision, on either backend.
    @Test(arguments: TestBackend.available)
    func numericMetadataFiltersMatchTheNumberAsShown(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            let metadata = #"{"rate":0.000001,"big":12345678901234567890,"pi":3.14159265358979323846}"#
            let id = try await ledger.createdID("/accounts", account("@rates", metadata: metadata))
            let shown = try await ledger.get("/accounts/\(id)").text
            for (key, value) in [("rate", "0.000001"), ("big", "12345678901234567890"), ("pi", "3.14159265358979323846")] {
                #expect(shown.contains(#""\#(key)":\#(value)"#), "the account shows \(key) as \(value)")
                #expect(try await ledger.ids("/accounts?metadata.\(key)=\(value)") == [id], "metadata.\(key)=\(value)")
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func invalidListQueriesAreRefusedAsBadRequests(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            let invalid = [
                "limit=0", "limit=101", "limit=ten", "page=0", "page=-1", "sort_order=up", "start_date=2026-01-01", "end_date=2026-01-01",
                "start_date=2026-02-01&end_date=2026-01-01", "start_date=01-02-2026&end_date=2026-12-31", "metadata.bad%20key=x", "metadata.=x",
            ]
            for query in invalid {
                let response = try await ledger.get("/accounts?\(query)")
                #expect(response.status == .badRequest, "accounts?\(query): \(response.text)")
                try response.expectProblem(.badRequest, code: "SR-0007")
            }
            try await ledger.client.json(.get, "\(organizations)?limit=0", token: ledger.token).expectProblem(.badRequest, code: "SR-0007")
            try await ledger.client.json(.get, "\(organizations)?sort_order=up", token: ledger.token).expectProblem(.badRequest, code: "SR-0007")
            try await ledger.get("/balances?limit=101").expectProblem(.badRequest, code: "SR-0007")
            try await ledger.get("/balances?start_date=2026-01-01").expectProblem(.badRequest, code: "SR-0007")
            // The bounds themselves are fine.
            #expect(try await ledger.get("/accounts?limit=1&page=1&sort_order=DESC").status == .ok)
            #expect(try await ledger.get("/accounts?limit=100&page=100000").status == .ok)
        }
    }

    @Test(arguments: TestBackend.available)
    func cursorsVisitEveryBalanceOnceForwardAndBack(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            for number in 1...5 { try await ledger.account("@c\(number)") }
            let everything = try await ledger.ids("/balances?limit=100")
            #expect(everything.count == 6, "five accounts and @external/USD")

            let forward = try await ledger.walk("/balances", "limit=2", following: \.next)
            #expect(forward.map(\.ids.count) == [2, 2, 2])
            #expect(forward.flatMap(\.ids) == everything)
            #expect(forward.first?.previous == nil)
            #expect(forward.last?.next == nil)

            let last = try #require(forward.last?.previous)
            let back = try await ledger.walk("/balances", "limit=2", from: last, following: \.previous)
            #expect(back.map(\.ids) == forward.dropLast().reversed().map(\.ids))
            #expect(back.last?.previous == nil)

            let descending = try await ledger.walk("/balances", "limit=4&sort_order=desc", following: \.next)
            #expect(descending.map(\.ids.count) == [4, 2])
            #expect(descending.flatMap(\.ids) == Array(everything.reversed()))

            let aliceBalances = try await ledger.walk("/accounts/alias/@c1/balances", "limit=1", following: \.next)
            #expect(aliceBalances.map(\.ids.count) == [1])

            let forged = Data("n:not-an-id".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            for cursor in ["garbage", forged, String(repeating: "A", count: 80)] {
                try await ledger.get("/balances?cursor=\(cursor)").expectProblem(.badRequest, code: "SR-0007")
            }
        }
    }

    // MARK: Paths

    @Test(arguments: TestBackend.available)
    func pathIdsThatNameNothingHereAnswer404(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            let admin = Admin(client: client, token: ledger.token)
            try await admin.send(.get, "\(organizations)/not-a-uuid").expectProblem(.notFound, code: "SR-2020")
            try await admin.send(.get, "\(organizations)/\(absentID)").expectProblem(.notFound, code: "SR-2020")
            for traversal in ["..%2F..%2Fetc%2Fpasswd", "%2E%2E%2Fetc%2Fpasswd"] {
                try await admin.send(.get, "\(organizations)/\(traversal)").expectProblem(.notFound)
                try await admin.send(.get, "\(organizations)/\(ledger.organization)/ledgers/\(traversal)/accounts").expectProblem(.notFound)
            }
            try await admin.send(.get, "\(organizations)/\(ledger.organization)/ledgers/not-a-uuid").expectProblem(.notFound, code: "SR-2020")
            try await ledger.get("/accounts/not-a-uuid").expectProblem(.notFound, code: "SR-2020")

            // The ledger exists, but not under this other organization.
            let other = try await admin.createdID(organizations, #"{"legalName":"Other","legalDocument":"2"}"#)
            try await ledger.account("@alice")
            let elsewhere = "\(organizations)/\(other)/ledgers/\(ledger.ledger)"
            try await admin.send(.get, elsewhere).expectProblem(.notFound, code: "SR-2020")
            try await admin.send(.patch, elsewhere, #"{"name":"Taken"}"#).expectProblem(.notFound, code: "SR-2020")
            try await admin.send(.delete, elsewhere).expectProblem(.notFound, code: "SR-2020")
            try await admin.send(.get, "\(elsewhere)/accounts").expectProblem(.notFound, code: "SR-2020")
            try await admin.send(.get, "\(elsewhere)/accounts/alias/@alice").expectProblem(.notFound, code: "SR-2020")
            try await admin.send(.get, "\(elsewhere)/accounts/external/USD").expectProblem(.notFound, code: "SR-2020")
            try await admin.send(.get, "\(elsewhere)/balances").expectProblem(.notFound, code: "SR-2020")
            try await admin.send(.post, "\(elsewhere)/assets", #"{"name":"Euro","type":"currency","code":"EUR"}"#)
                .expectProblem(.notFound, code: "SR-2020")
            #expect(try await admin.ids("\(organizations)/\(other)/ledgers").isEmpty)
            #expect(try await ledger.read("")["name"] as? String == "Main")
            #expect(try await ledger.count("/assets") == 1)
        }
    }

    // MARK: Idempotency

    @Test(arguments: TestBackend.available)
    func sameKeyAndBodyReplayTheFirstCreation(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let admin = try await Admin.login(client)
            let key = idempotency("create-acme")
            let first = try await admin.send(.post, organizations, #"{"legalName":"Acme Ltd","legalDocument":"123"}"#, headers: key)
            #expect(first.status == .created, "\(first.text)")
            #expect(first.headers[replayedHeader] == nil)
            let again = try await admin.send(.post, organizations, "{\n  \"legalDocument\" : \"123\",\n\t\"legalName\":   \"Acme Ltd\"  }", headers: key)
            #expect(again.status == .created, "\(again.text)")
            #expect(again.headers[replayedHeader] == "true")
            #expect(again.text == first.text)
            #expect(try await admin.count(organizations) == 1)

            try await admin.send(.post, organizations, #"{"legalName":"Someone Else","legalDocument":"123"}"#, headers: key)
                .expectProblem(.unprocessableContent, code: "SR-2030")
            #expect(try await admin.count(organizations) == 1)

            // The other header name works the same.
            let other: HTTPFields = [HTTPField.Name("X-Idempotency")!: "create-beta"]
            let beta = try await admin.send(.post, organizations, #"{"legalName":"Beta","legalDocument":"9"}"#, headers: other)
            #expect(beta.status == .created)
            #expect(beta.headers[replayedHeader] == nil)
            let betaAgain = try await admin.send(.post, organizations, #"{"legalDocument":"9","legalName":"Beta"}"#, headers: other)
            #expect(betaAgain.headers[replayedHeader] == "true")
            #expect(try betaAgain.object()["id"] as? String == (try beta.object()["id"] as? String))
            #expect(try await admin.count(organizations) == 2)

            // The key is scoped to the path: on another collection it is a new request.
            let acme = try #require(try first.object()["id"] as? String)
            let ledger = try await admin.send(.post, "\(organizations)/\(acme)/ledgers", #"{"name":"Main"}"#, headers: key)
            #expect(ledger.status == .created, "\(ledger.text)")
            #expect(ledger.headers[replayedHeader] == nil)
        }
    }

    @Test(arguments: TestBackend.available)
    func malformedKeysAndTTLsAreRefused(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let admin = try await Admin.login(client)
            let body = #"{"legalName":"Acme Ltd","legalDocument":"123"}"#
            try await admin.send(.post, organizations, body, headers: idempotency(String(repeating: "k", count: 256)))
                .expectProblem(.badRequest, code: "SR-2032")
            try await admin.send(.post, organizations, body, headers: idempotency("has space")).expectProblem(.badRequest, code: "SR-2032")
            var badTTL = idempotency("ttl-abc")
            badTTL[HTTPField.Name("X-TTL")!] = "abc"
            try await admin.send(.post, organizations, body, headers: badTTL).expectProblem(.badRequest, code: "SR-2032")
            var zeroTTL = idempotency("ttl-zero")
            zeroTTL[HTTPField.Name("X-TTL")!] = "0"
            try await admin.send(.post, organizations, body, headers: zeroTTL).expectProblem(.badRequest, code: "SR-2032")
            var longTTL = idempotency("ttl-long")
            longTTL[HTTPField.Name("X-TTL")!] = "86401"
            try await admin.send(.post, organizations, body, headers: longTTL).expectProblem(.badRequest, code: "SR-2032")
            #expect(try await admin.count(organizations) == 0)

            #expect(try await admin.send(.post, organizations, body, headers: idempotency(String(repeating: "k", count: 255))).status == .created)
            var goodTTL = idempotency("ttl-60")
            goodTTL[HTTPField.Name("X-TTL")!] = "60"
            #expect(try await admin.send(.post, organizations, body, headers: goodTTL).status == .created)
            #expect(try await admin.send(.post, organizations, body, headers: goodTTL).headers[replayedHeader] == "true")
            #expect(try await admin.count(organizations) == 2)
        }
    }

    @Test(arguments: TestBackend.available)
    func refusedTransactionIsReplayedAsRefusedEvenAfterFunding(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            try await ledger.account("@alice")
            try await ledger.account("@bob")
            let payment = LedgerFixture.transfer("@alice", "@bob", "10.00")
            let key = idempotency("pay-bob-1")

            let refused = try await ledger.post("/transactions/json", payment, headers: key)
            try refused.expectProblem(.unprocessableContent, code: "SR-2010")
            #expect(refused.headers[replayedHeader] == nil)

            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))
            let replayed = try await ledger.post("/transactions/json", payment, headers: key)
            try replayed.expectProblem(.unprocessableContent, code: "SR-2010")
            #expect(replayed.headers[replayedHeader] == "true")
            #expect(replayed.text == refused.text)
            #expect(try await ledger.money("@alice") == ("100.00", "0.00"))
            #expect(try await ledger.money("@bob") == ("0.00", "0.00"))

            // A new key moves the money, once.
            let fresh = idempotency("pay-bob-2")
            let paid = try await ledger.post("/transactions/json", payment, headers: fresh)
            #expect(paid.status == .created, "\(paid.text)")
            let repeated = try await ledger.post("/transactions/json", payment, headers: fresh)
            #expect(repeated.status == .created)
            #expect(repeated.headers[replayedHeader] == "true")
            #expect(repeated.text == paid.text)
            #expect(try await ledger.money("@alice") == ("90.00", "0.00"))
            #expect(try await ledger.money("@bob") == ("10.00", "0.00"))
        }
    }
}

// MARK: Helpers

private let organizations = "/v1/organizations"

/// A well-formed UUIDv7 that names nothing.
private let absentID = "01900000-0000-7000-8000-000000000000"

private let replayedHeader = HTTPField.Name("X-Idempotency-Replayed")!
private let totalCountHeader = HTTPField.Name("X-Total-Count")!

private func idempotency(_ key: String) -> HTTPFields { [HTTPField.Name("Idempotency-Key")!: key] }

private func organization(metadata: String) -> String { #"{"legalName":"Acme Ltd","legalDocument":"1","metadata":\#(metadata)}"# }

private func account(_ alias: String, metadata: String) -> String {
    #"{"assetCode":"USD","type":"deposit","alias":"\#(alias)","metadata":\#(metadata)}"#
}

/// A metadata object with `count` keys.
private func manyKeys(_ count: Int) -> String { "{" + (1...count).map { #""key\#($0)":\#($0)"# }.joined(separator: ",") + "}" }

private func itemIDs(_ list: [String: Any]) -> [String] { (list["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }

private func isUUIDv7(_ id: String) -> Bool {
    id.count == 36 && id == id.lowercased() && UUID(uuidString: id) != nil && Array(id)[14] == "7"
}

/// RFC 3339 UTC with microseconds, as every time is rendered.
private func isTimestamp(_ value: Any?) -> Bool {
    guard let text = value as? String, let pattern = try? Regex(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z"#) else { return false }
    return (try? pattern.wholeMatch(in: text)) != nil
}

/// The administrator's session, by absolute paths.
private struct Admin: Caller {
    let client: any TestClientProtocol
    let token: String

    static func login(_ client: any TestClientProtocol) async throws -> Admin {
        Admin(client: client, token: try await client.login("admin", TestServer.adminPassword).token)
    }

    func send(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.json(method, path, token: token, body: body, headers: headers)
    }
}

/// `LedgerFixture` sends paths under its ledger.
extension LedgerFixture: Caller {}

/// One page of a cursor list: its ids and the cursors to its neighbours.
private struct CursorPageSeen {
    let ids: [String]
    let next: String?
    let previous: String?
}

/// Reads and checks answers through whichever `send` the caller has.
private protocol Caller: Sendable {
    func send(_ method: HTTPRequest.Method, _ path: String, _ body: String?, headers: HTTPFields) async throws -> TestResponse
}

extension Caller {
    /// POSTs `body`, expecting 201, and answers the created object.
    func created(_ path: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let response = try await send(.post, path, body, headers: [:])
        #expect(response.status == .created, "POST \(path): \(response.text)", sourceLocation: sourceLocation)
        return try response.object()
    }

    func createdID(_ path: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try #require(try await created(path, body, sourceLocation: sourceLocation)["id"] as? String, sourceLocation: sourceLocation)
    }

    /// GETs `path`, expecting 200, and answers the object.
    func read(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let response = try await send(.get, path, nil, headers: [:])
        #expect(response.status == .ok, "GET \(path): \(response.text)", sourceLocation: sourceLocation)
        return try response.object()
    }

    func items(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [[String: Any]] {
        try #require(try await read(path, sourceLocation: sourceLocation)["items"] as? [[String: Any]], sourceLocation: sourceLocation)
    }

    func ids(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        try await items(path, sourceLocation: sourceLocation).compactMap { $0["id"] as? String }
    }

    /// `HEAD <collection>/metrics/count`, expecting 204, as a number.
    func count(_ collection: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int? {
        let response = try await send(.head, "\(collection)/metrics/count", nil, headers: [:])
        #expect(response.status == .noContent, "HEAD \(collection)/metrics/count", sourceLocation: sourceLocation)
        return response.headers[totalCountHeader].flatMap { Int($0) }
    }

    /// Reads the cursor list at `path` with the fixed `query`, from `cursor` on, following one
    /// cursor until it runs out (at most 20 pages).
    func walk(
        _ path: String, _ query: String, from cursor: String? = nil, following direction: KeyPath<CursorPageSeen, String?>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [CursorPageSeen] {
        var pages: [CursorPageSeen] = []
        var cursor = cursor
        repeat {
            let page = try await read("\(path)?\(query)" + (cursor.map { "&cursor=\($0)" } ?? ""), sourceLocation: sourceLocation)
            let seen = CursorPageSeen(ids: itemIDs(page), next: page["next_cursor"] as? String, previous: page["prev_cursor"] as? String)
            pages.append(seen)
            cursor = seen[keyPath: direction]
        } while cursor != nil && pages.count < 20
        return pages
    }
}

