import Foundation
import Holders
import HTTPTypes
import HummingbirdTesting
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// `/v1/holders/{holder_id}/aliases` and `/v1/aliases` on both backends: on a ledger with
/// UK bank details an alias needs a sort code and account number that pass Vocalink's
/// check (422 SR-4010, 4011, 4012 otherwise) and that no live alias holds (409 SR-4013), or
/// gets an account number allocated; another ledger's alias takes free text; a holder,
/// ledger or account outside the organization named in `X-Organization-Id` is not reached;
/// and a ledger's `bankDetails` setting cannot change once the ledger exists.
@Suite("Holder alias routes")
struct HolderAliasRouteTests {
    static let valid = (sortCode: "089999", accountNumber: "66374958")
    /// No row of the weight table covers it.
    static let unknownSortCode = "000000"
    /// `valid`'s sort code with an account number that fails its check.
    static let failing = "66374959"

    /// A holder of `organization`, stored as the holder routes store one (sealed, with its
    /// organization's keys); the alias routes read only that it exists.
    static func holder(_ organization: String, prepared: ServerApp.Prepared) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let now = SystemClock().now()
        var keys = try await prepared.persistence.holders.organizationKeys(organizationID: organization)
        if keys.isEmpty {
            keys = try SealedOrganizationKey.Kind.allCases.map {
                try SealedOrganizationKey.generate($0, organizationID: organization, version: .first, sealingWith: prepared.box)
            }
            let generated = keys
            try await prepared.persistence.write { work in
                for key in generated { try await work.holders.addOrganizationKey(key, at: now) }
            }
        }
        let provider = try MasterKeyProvider(secretBox: prepared.box, sealedKeys: keys)
        let holder = StoredHolder(
            id: id, organizationID: organization, kind: .naturalPerson, externalID: nil, metadata: "{}",
            wrappedDataKey: try HolderDataKey.generate().wrapped(holderID: id, organizationID: organization, by: provider), fields: [:],
            emailTerm: nil, documentTerm: nil, blindIndexVersion: nil, createdAt: now, updatedAt: now
        )
        try await prepared.persistence.write { try await $0.holders.insert(holder) }
        return id
    }

    /// A second ledger in the fixture's organization, with `settings` when given, and one
    /// GBP account in it.
    static func ledger(_ fixture: LedgerFixture, settings: String?) async throws -> (ledger: String, account: String) {
        let extra = settings.map { #","settings":\#($0)"# } ?? ""
        let created = try await fixture.client.json(
            .post, "/v1/organizations/\(fixture.organization)/ledgers", token: fixture.token, body: #"{"name":"UK"\#(extra)}"#
        )
        #expect(created.status == .created, "\(created.text)")
        let ledgerID = try #require(try created.object()["id"] as? String)
        let inLedger = LedgerFixture(client: fixture.client, token: fixture.token, organization: fixture.organization, ledger: ledgerID)
        #expect(try await inLedger.post("/assets", #"{"name":"Pound","type":"currency","code":"GBP"}"#).status == .created)
        return (ledgerID, try await inLedger.account("@gb-\(UUID().uuidString.prefix(8).lowercased())", asset: "GBP"))
    }

    static func headers(_ organization: String, key: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [HTTPField.Name("X-Organization-Id")!: organization]
        if let key { fields[HTTPField.Name("Idempotency-Key")!] = key }
        return fields
    }

    static func body(ledger: String, account: String, branch: String?, number: String?, extra: String = "") -> String {
        var details: [String] = []
        if let branch { details.append(#""branch":"\#(branch)""#) }
        if let number { details.append(#""account":"\#(number)""#) }
        return #"{"ledgerId":"\#(ledger)","accountId":"\#(account)","bankingDetails":{\#(details.joined(separator: ","))}\#(extra)}"#
    }

    @Test(arguments: TestBackend.available)
    func aUKAliasNeedsDetailsThatPassTheCheckAndThatNoOtherAliasHolds(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let checker = try ModulusChecker.embedded()
            #expect(checker.check(sortCode: Self.valid.sortCode, accountNumber: Self.valid.accountNumber) == .valid)
            #expect(checker.check(sortCode: Self.unknownSortCode, accountNumber: Self.valid.accountNumber) == .invalid(.unknownSortCode))
            #expect(checker.check(sortCode: Self.valid.sortCode, accountNumber: Self.failing) == .invalid(.modulus))

            let fixture = try await LedgerFixture.make(client)
            let (ledger, account) = try await Self.ledger(fixture, settings: #"{"bankDetails":"uk"}"#)
            let read = try await client.json(.get, "/v1/organizations/\(fixture.organization)/ledgers/\(ledger)", token: fixture.token)
            #expect((try read.object()["settings"] as? [String: Any])?["bankDetails"] as? String == "uk")
            let holder = try await Self.holder(fixture.organization, prepared: prepared)
            let path = "/v1/holders/\(holder)/aliases"
            let headers = Self.headers(fixture.organization)
            func create(_ body: String, key: String? = nil) async throws -> TestResponse {
                try await client.json(.post, path, token: fixture.token, body: body, headers: Self.headers(fixture.organization, key: key))
            }

            let body = Self.body(ledger: ledger, account: account, branch: Self.valid.sortCode, number: Self.valid.accountNumber, extra: #","metadata":{"tier":"gold"},"relatedParties":[]"#)
            let created = try await create(body, key: "alias-1")
            #expect(created.status == .created, "\(created.text)")
            let alias = try created.object()
            let id = try #require(alias["id"] as? String)
            #expect(alias["holderId"] as? String == holder && alias["ledgerId"] as? String == ledger && alias["accountId"] as? String == account)
            let details = try #require(alias["bankingDetails"] as? [String: Any])
            #expect(details["branch"] as? String == Self.valid.sortCode && details["account"] as? String == Self.valid.accountNumber)
            #expect(details["countryCode"] as? String == "GB")
            let again = try await create(body, key: "alias-1")
            #expect(again.status == .created && again.text == created.text)
            #expect(again.headers[HTTPField.Name("X-Idempotency-Replayed")!] == "true")
            let fetched = try await client.json(.get, "\(path)/\(id)", token: fixture.token, headers: headers)
            #expect(fetched.status == .ok && fetched.text == created.text)

            // Each way of failing the check has its own code, and a taken pair is a conflict.
            for (branch, number, code) in [
                ("08-99-99", Self.valid.accountNumber, "SR-4010"), (Self.valid.sortCode, "6637495", "SR-4010"),
                (Self.unknownSortCode, Self.valid.accountNumber, "SR-4011"), (Self.valid.sortCode, Self.failing, "SR-4012"),
            ] {
                try await create(Self.body(ledger: ledger, account: account, branch: branch, number: number))
                    .expectProblem(.unprocessableContent, code: code)
            }
            try await create(#"{"ledgerId":"\#(ledger)","accountId":"\#(account)"}"#).expectProblem(.unprocessableContent, code: "SR-4010")
            try await create(Self.body(ledger: ledger, account: account, branch: Self.valid.sortCode, number: Self.valid.accountNumber))
                .expectProblem(.conflict, code: "SR-4013")
            try await create(Self.body(ledger: ledger, account: account, branch: "404784", number: "70872490", extra: #","relatedParties":[{"name":"x"}]"#))
                .expectProblem(.badRequest, code: "SR-0002")

            // A change is checked again as a whole.
            try await client.json(.patch, "\(path)/\(id)", token: fixture.token, body: #"{"bankingDetails":{"account":"\#(Self.failing)"}}"#, headers: headers)
                .expectProblem(.unprocessableContent, code: "SR-4012")
            let patched = try await client.json(.patch, "\(path)/\(id)", token: fixture.token, body: #"{"metadata":{"tier":"silver"}}"#, headers: headers)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect((try patched.object()["metadata"] as? [String: Any])?["tier"] as? String == "silver")

            let listed = try await client.json(.get, "/v1/aliases?holder_id=\(holder)&account_id=\(account)", token: fixture.token, headers: headers)
            #expect((try listed.object()["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])

            // Deleted, the alias is gone and its pair free again.
            #expect(try await client.json(.delete, "\(path)/\(id)", token: fixture.token, headers: headers).status == .noContent)
            try await client.json(.get, "\(path)/\(id)", token: fixture.token, headers: headers).expectProblem(.notFound)
            #expect(try await client.json(.get, "\(path)/\(id)?include_deleted=true", token: fixture.token, headers: headers).status == .ok)
            let reused = try await create(Self.body(ledger: ledger, account: account, branch: Self.valid.sortCode, number: Self.valid.accountNumber))
            #expect(reused.status == .created, "\(reused.text)")

            for action in ["holder_alias.create", "holder_alias.update", "holder_alias.delete"] {
                let records = try await ControlRouteTests.records(client, fixture, action: action, resource: "holder_alias:\(id)")
                #expect(records.count == 1 && records.first?["outcome"] as? String == "success", "\(action)")
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func anotherLedgersAliasTakesFreeTextAndNoUKCheck(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let fixture = try await LedgerFixture.make(client)
            let (ledger, account) = try await Self.ledger(fixture, settings: nil)
            let holder = try await Self.holder(fixture.organization, prepared: prepared)
            let body = #"{"ledgerId":"\#(ledger)","accountId":"\#(account)","bankingDetails":{"branch":"0001","account":"123450","countryCode":"US","iban":"US12345678901234567890"}}"#
            let created = try await client.json(.post, "/v1/holders/\(holder)/aliases", token: fixture.token, body: body, headers: Self.headers(fixture.organization))
            #expect(created.status == .created, "\(created.text)")
            let details = try #require(try created.object()["bankingDetails"] as? [String: Any])
            #expect(details["branch"] as? String == "0001" && details["account"] as? String == "123450" && details["countryCode"] as? String == "US")
            // The same free text twice is no conflict: only UK pairs are held once.
            let twice = try await client.json(.post, "/v1/holders/\(holder)/aliases", token: fixture.token, body: body, headers: Self.headers(fixture.organization))
            #expect(twice.status == .created, "\(twice.text)")
        }
    }

    /// A holder of another organization is not found from this one; a ledger or account of
    /// another organization is an unknown reference.
    @Test(arguments: TestBackend.available)
    func aliasesDoNotReachAcrossOrganizations(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let fixture = try await LedgerFixture.make(client)
            let (ledger, account) = try await Self.ledger(fixture, settings: nil)
            let other = try await client.json(.post, "/v1/organizations", token: fixture.token, body: #"{"legalName":"Other","legalDocument":"9"}"#)
            let otherOrganization = try #require(try other.object()["id"] as? String)
            let otherFixture = LedgerFixture(client: client, token: fixture.token, organization: otherOrganization, ledger: "")
            let (otherLedger, otherAccount) = try await Self.ledger(otherFixture, settings: nil)
            let holder = try await Self.holder(fixture.organization, prepared: prepared)
            let otherHolder = try await Self.holder(otherOrganization, prepared: prepared)
            let headers = Self.headers(fixture.organization)
            func create(_ holderID: String, _ ledgerID: String, _ accountID: String) async throws -> TestResponse {
                try await client.json(
                    .post, "/v1/holders/\(holderID)/aliases", token: fixture.token, body: #"{"ledgerId":"\#(ledgerID)","accountId":"\#(accountID)"}"#,
                    headers: headers
                )
            }
            try await create(otherHolder, ledger, account).expectProblem(.notFound, code: "SR-2020")
            try await create(holder, otherLedger, otherAccount).expectProblem(.unprocessableContent, code: "SR-2033")
            try await create(holder, ledger, otherAccount).expectProblem(.unprocessableContent, code: "SR-2033")
            let mine = try await create(holder, ledger, account)
            #expect(mine.status == .created, "\(mine.text)")
            let id = try #require(try mine.object()["id"] as? String)
            // Named with the other organization, the alias is not there.
            let elsewhere = Self.headers(otherOrganization)
            try await client.json(.get, "/v1/holders/\(holder)/aliases/\(id)", token: fixture.token, headers: elsewhere).expectProblem(.notFound)
            let listed = try await client.json(.get, "/v1/aliases", token: fixture.token, headers: elsewhere)
            #expect((try listed.object()["items"] as? [[String: Any]])?.isEmpty == true)
            try await client.json(.get, "/v1/aliases", token: fixture.token).expectProblem(.badRequest, code: "SR-0008")
        }
    }

    /// A sort code without an account number gets one allocated that passes the check, and
    /// creates that race for numbers under one sort code each get a different one.
    @Test(arguments: TestBackend.available)
    func allocatedAccountNumbersPassTheCheckAndAreUniqueUnderConcurrency(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let checker = try ModulusChecker.embedded()
            let fixture = try await LedgerFixture.make(client)
            let (ledger, account) = try await Self.ledger(fixture, settings: #"{"bankDetails":"uk"}"#)
            let holder = try await Self.holder(fixture.organization, prepared: prepared)
            let body = Self.body(ledger: ledger, account: account, branch: Self.valid.sortCode, number: nil)
            let token = fixture.token
            let headers = Self.headers(fixture.organization)
            let numbers = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await client.json(.post, "/v1/holders/\(holder)/aliases", token: token, body: body, headers: headers)
                        #expect(response.status == .created, "\(response.text)")
                        return (try? response.object()["bankingDetails"] as? [String: Any])?["account"] as? String
                    }
                }
                return try await group.reduce(into: [String]()) { if let number = $1 { $0.append(number) } }
            }
            #expect(numbers.count == 8 && Set(numbers).count == 8)
            for number in numbers {
                #expect(checker.check(sortCode: Self.valid.sortCode, accountNumber: number) == .valid, "\(number)")
            }
            try await client.json(
                .post, "/v1/holders/\(holder)/aliases", token: token, body: Self.body(ledger: ledger, account: account, branch: Self.unknownSortCode, number: nil),
                headers: headers
            ).expectProblem(.unprocessableContent, code: "SR-4011")
        }
    }

    /// `settings.bankDetails` is set when a ledger is created and never changes after.
    @Test(arguments: TestBackend.available)
    func aLedgersBankDetailsSettingIsFixedOnceSet(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let fixture = try await LedgerFixture.make(client)
            let (uk, _) = try await Self.ledger(fixture, settings: #"{"bankDetails":"uk"}"#)
            let ledgers = "/v1/organizations/\(fixture.organization)/ledgers"
            func patch(_ id: String, _ body: String) async throws -> TestResponse {
                try await client.json(.patch, "\(ledgers)/\(id)", token: fixture.token, body: body)
            }
            try await patch(uk, #"{"settings":{"bankDetails":"us"}}"#).expectProblem(.unprocessableContent, code: "SR-4014")
            try await patch(uk, #"{"settings":{"bankDetails":""}}"#).expectProblem(.unprocessableContent, code: "SR-4014")
            try await patch(fixture.ledger, #"{"settings":{"bankDetails":"uk"}}"#).expectProblem(.unprocessableContent, code: "SR-4014")
            let same = try await patch(uk, #"{"name":"Renamed","settings":{"bankDetails":"uk"}}"#)
            #expect(same.status == .ok, "\(same.text)")
            let unchanged = try await patch(uk, #"{"settings":{"bankDetails":null}}"#)
            #expect((try unchanged.object()["settings"] as? [String: Any])?["bankDetails"] as? String == "uk")
            #expect(try await patch(fixture.ledger, #"{"settings":null}"#).status == .ok)
            let plain = try await client.json(.get, "\(ledgers)/\(fixture.ledger)", token: fixture.token).object()
            #expect(plain["settings"] == nil)
            try await client.json(.post, ledgers, token: fixture.token, body: #"{"name":"X","settings":{"bankDetails":"us"}}"#)
                .expectProblem(.unprocessableContent, code: "SR-2025")
            try await client.json(.post, ledgers, token: fixture.token, body: #"{"name":"X","settings":{"accounting":{"validateRoutes":true}}}"#)
                .expectProblem(.badRequest, code: "SR-0003")
        }
    }
}
