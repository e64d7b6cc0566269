import Foundation
import HTTPTypes
import HummingbirdTesting
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Every posting rule refuses with its own code and a problem body, and a refused
/// transaction moves nothing.
@Suite("Ledger rules")
struct LedgerRuleTests {
    struct Refusal {
        let name: String
        let form: String
        let body: String
        let status: HTTPResponse.Status
        let code: String
    }

    static func legs(_ legs: [String]) -> String { legs.joined(separator: ",") }

    static func body(value: String, from: [String], to: [String], asset: String = "USD", extra: String = "") -> String {
        #"{\#(extra)"send":{"asset":"\#(asset)","value":"\#(value)","source":{"from":[\#(legs(from))]},"distribute":{"to":[\#(legs(to))]}}}"#
    }

    static func amount(_ alias: String, _ value: String, asset: String = "USD") -> String {
        #"{"accountAlias":"\#(alias)","amount":{"asset":"\#(asset)","value":"\#(value)"}}"#
    }

    static func remaining(_ alias: String) -> String { #"{"accountAlias":"\#(alias)","remaining":"remaining"}"# }

    static func share(_ alias: String, _ percentage: Int) -> String { #"{"accountAlias":"\#(alias)","share":{"percentage":\#(percentage)}}"# }

    static let refusals: [Refusal] = {
        let transfer = { (value: String) in body(value: value, from: [remaining("@alice")], to: [remaining("@bob")]) }
        var cases: [Refusal] = [
            .init(name: "zero value", form: "json", body: transfer("0"), status: .unprocessableContent, code: "SR-2001"),
            .init(name: "negative value", form: "json", body: transfer("-5.00"), status: .unprocessableContent, code: "SR-2001"),
            .init(name: "beyond the asset's scale", form: "json", body: transfer("1.001"), status: .unprocessableContent, code: "SR-2001"),
            .init(name: "exponent", form: "json", body: transfer("1e3"), status: .unprocessableContent, code: "SR-2001"),
            .init(name: "over 10^20", form: "json", body: transfer("100000000000000000000.01"), status: .unprocessableContent, code: "SR-2014"),
            .init(name: "40 digits", form: "json", body: transfer(String(repeating: "9", count: 40)), status: .unprocessableContent, code: "SR-2014"),
            .init(
                name: "legs do not add up", form: "json",
                body: body(value: "30.00", from: [amount("@alice", "10.00"), amount("@dave", "10.00")], to: [remaining("@bob")]),
                status: .unprocessableContent, code: "SR-2002"
            ),
            .init(
                name: "share over 100", form: "json", body: body(value: "30.00", from: [share("@alice", 101)], to: [remaining("@bob")]),
                status: .unprocessableContent, code: "SR-2003"
            ),
            .init(
                name: "two remaining legs", form: "json",
                body: body(value: "30.00", from: [remaining("@alice"), remaining("@dave")], to: [remaining("@bob")]),
                status: .unprocessableContent, code: "SR-2004"
            ),
            .init(
                name: "nothing remains", form: "json",
                body: body(value: "30.00", from: [amount("@alice", "30.00"), remaining("@dave")], to: [remaining("@bob")]),
                status: .unprocessableContent, code: "SR-2005"
            ),
            .init(name: "no legs", form: "json", body: body(value: "1.00", from: [], to: [remaining("@bob")]), status: .unprocessableContent, code: "SR-2006"),
            .init(
                name: "too many legs", form: "json",
                body: body(value: "1025.00", from: Array(repeating: amount("@alice", "1.00"), count: 1025), to: [remaining("@bob")]),
                status: .unprocessableContent, code: "SR-2007"
            ),
            .init(
                name: "a leg in another asset", form: "json",
                body: body(value: "1.00", from: [amount("@alice", "1.00", asset: "EUR")], to: [remaining("@bob")]),
                status: .unprocessableContent, code: "SR-2008"
            ),
            .init(
                name: "an account of another asset", form: "json", body: body(value: "1.00", from: [remaining("@alice")], to: [remaining("@carol")]),
                status: .unprocessableContent, code: "SR-2008"
            ),
            .init(
                name: "same account on both sides", form: "json", body: body(value: "1.00", from: [remaining("@alice")], to: [remaining("@alice")]),
                status: .unprocessableContent, code: "SR-2009"
            ),
            .init(name: "insufficient funds", form: "json", body: transfer("100.01"), status: .unprocessableContent, code: "SR-2010"),
            .init(
                name: "insufficient funds when held", form: "json",
                body: body(value: "100.01", from: [remaining("@alice")], to: [remaining("@bob")], extra: #""pending":true,"#),
                status: .unprocessableContent, code: "SR-2010"
            ),
            .init(
                name: "sending not allowed", form: "json", body: body(value: "1.00", from: [remaining("@nosend")], to: [remaining("@bob")]),
                status: .unprocessableContent, code: "SR-2011"
            ),
            .init(
                name: "receiving not allowed", form: "json", body: body(value: "1.00", from: [remaining("@alice")], to: [remaining("@norecv")]),
                status: .unprocessableContent, code: "SR-2012"
            ),
            .init(
                name: "blocked sender", form: "json", body: body(value: "1.00", from: [remaining("@frozen")], to: [remaining("@bob")]),
                status: .unprocessableContent, code: "SR-2013"
            ),
            .init(
                name: "blocked receiver", form: "json", body: body(value: "1.00", from: [remaining("@alice")], to: [remaining("@frozen")]),
                status: .unprocessableContent, code: "SR-2013"
            ),
            .init(
                name: "unknown account", form: "json", body: body(value: "1.00", from: [remaining("@alice")], to: [remaining("@nobody")]),
                status: .unprocessableContent, code: "SR-2015"
            ),
            .init(
                name: "unknown asset", form: "json", body: body(value: "1.00", from: [remaining("@alice")], to: [remaining("@bob")], asset: "XYZ"),
                status: .unprocessableContent, code: "SR-2017"
            ),
            .init(
                name: "expiry without pending", form: "json",
                body: body(value: "1.00", from: [remaining("@alice")], to: [remaining("@bob")], extra: #""pendingExpiresAt":"2999-01-01T00:00:00Z","#),
                status: .unprocessableContent, code: "SR-2026"
            ),
            .init(
                name: "expiry in the past", form: "json",
                body: body(
                    value: "1.00", from: [remaining("@alice")], to: [remaining("@bob")],
                    extra: #""pending":true,"pendingExpiresAt":"2000-01-01T00:00:00Z","#
                ),
                status: .unprocessableContent, code: "SR-2026"
            ),
            .init(
                name: "a leg with amount and share", form: "json",
                body: body(
                    value: "1.00", from: [#"{"accountAlias":"@alice","share":{"percentage":100},"amount":{"asset":"USD","value":"1.00"}}"#],
                    to: [remaining("@bob")]
                ),
                status: .unprocessableContent, code: "SR-2035"
            ),
            .init(
                name: "a leg with no allocation", form: "json", body: body(value: "1.00", from: [#"{"accountAlias":"@alice"}"#], to: [remaining("@bob")]),
                status: .unprocessableContent, code: "SR-2035"
            ),
            .init(
                name: "unknown field in a leg", form: "json",
                body: body(value: "1.00", from: [#"{"accountAlias":"@alice","remaining":"x","rate":1}"#], to: [remaining("@bob")]),
                status: .badRequest, code: "SR-0003"
            ),
            .init(
                name: "a number where a decimal string belongs", form: "json",
                body: #"{"send":{"asset":"USD","value":1.5,"source":{"from":[]},"distribute":{"to":[]}}}"#, status: .badRequest, code: "SR-0002"
            ),
            .init(name: "an inflow with a source", form: "inflow", body: transfer("1.00"), status: .badRequest, code: "SR-0003"),
            .init(name: "not JSON", form: "json", body: "{\"send\":", status: .badRequest, code: "SR-0001"),
        ]
        cases.append(.init(name: "a json body without a source", form: "json", body: LedgerFixture.inflow("@bob", "1.00"), status: .badRequest, code: "SR-0002"))
        return cases
    }()

    @Test(arguments: TestBackend.available)
    func everyRuleRefusesWithItsCodeAndMovesNothing(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            #expect(try await ledger.post("/assets", #"{"name":"Euro","type":"currency","code":"EUR"}"#).status == .created)
            for alias in ["@alice", "@bob", "@dave", "@nosend", "@norecv", "@frozen", "@big"] { try await ledger.account(alias) }
            try await ledger.account("@carol", asset: "EUR")
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@nosend", "10.00"))
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@frozen", "10.00"))
            let nosend = try #require(try await ledger.balance("@nosend")["id"] as? String)
            #expect(try await ledger.send(.patch, "/balances/\(nosend)", #"{"allowSending":false}"#).status == .ok)
            let norecv = try #require(try await ledger.balance("@norecv")["id"] as? String)
            #expect(try await ledger.send(.patch, "/balances/\(norecv)", #"{"allowReceiving":false}"#).status == .ok)
            let frozen = try #require(try await ledger.balance("@frozen")["accountId"] as? String)
            #expect(try await ledger.send(.patch, "/accounts/\(frozen)", #"{"blocked":true}"#).status == .ok)

            for refusal in Self.refusals {
                let response = try await ledger.post("/transactions/\(refusal.form)", refusal.body)
                #expect(response.status == refusal.status, "\(refusal.name): \(response.text.prefix(300))")
                #expect(response.headers[.contentType] == "application/problem+json", "\(refusal.name)")
                #expect((try? response.object()["code"] as? String) == refusal.code, "\(refusal.name): \(response.text.prefix(300))")
            }
            #expect(try await ledger.money("@alice") == ("100.00", "0.00"))
            #expect(try await ledger.money("@bob") == ("0.00", "0.00"))
            #expect(try await ledger.money("@external/USD") == ("-120.00", "0.00"))

            // A ledger that does not exist is a 404, not an unknown asset.
            let missing = "/v1/organizations/\(ledger.organization)/ledgers/\(UUID().uuidString.lowercased())/transactions/json"
            try await client.json(.post, missing, token: ledger.token, body: LedgerFixture.transfer("@alice", "@bob", "1.00"))
                .expectProblem(.notFound, code: "SR-2020")

            // Arithmetic that would overflow is an error, never a wrap: the external account
            // reaches exactly -10^20, and one cent more is refused.
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@big", "99999999999999999880"))
            #expect(try await ledger.money("@external/USD") == ("-100000000000000000000.00", "0.00"))
            let overflow = try await ledger.post("/transactions/inflow", LedgerFixture.inflow("@big", "0.01"))
            try overflow.expectProblem(.unprocessableContent, code: "SR-2014")
            #expect(try await ledger.money("@big") == ("99999999999999999880.00", "0.00"))
        }
    }

    @Test(arguments: TestBackend.available)
    func overdraftGoesDownToItsLimitAndNoFurther(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            try await ledger.account("@od")
            try await ledger.account("@bob")
            let od = try #require(try await ledger.balance("@od")["id"] as? String)
            let patched = try await ledger.send(.patch, "/balances/\(od)", #"{"allowOverdraft":true,"overdraftLimit":"50.00"}"#)
            #expect(patched.status == .ok)
            #expect(try patched.object()["overdraftLimit"] as? String == "50.00")
            _ = try await ledger.posted("json", LedgerFixture.transfer("@od", "@bob", "49.99"))
            try await ledger.post("/transactions/json", LedgerFixture.transfer("@od", "@bob", "0.02")).expectProblem(.unprocessableContent, code: "SR-2010")
            _ = try await ledger.posted("json", LedgerFixture.transfer("@od", "@bob", "0.01"))
            #expect(try await ledger.money("@od") == ("-50.00", "0.00"))
            try await ledger.send(.patch, "/balances/\(od)", #"{"overdraftLimit":"-1.00"}"#).expectProblem(.unprocessableContent, code: "SR-2001")
            // Money never changes through a balance's PATCH, and a balance holding money stays.
            try await ledger.send(.patch, "/balances/\(od)", #"{"available":"100.00"}"#).expectProblem(.badRequest, code: "SR-0003")
            try await ledger.send(.delete, "/balances/\(od)").expectProblem(.unprocessableContent, code: "SR-2023")
            let account = try #require(try await ledger.balance("@od")["accountId"] as? String)
            try await ledger.send(.delete, "/accounts/\(account)").expectProblem(.unprocessableContent, code: "SR-2023")
        }
    }

    /// A metadata number is kept digit for digit, or refused: never silently rounded.
    @Test(arguments: TestBackend.available)
    func metadataNumbersAreKeptExactlyOrRefused(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let token = try await client.login("admin", TestServer.adminPassword).token
            let thirty = "123456789012345678901234567890"
            let kept = try await client.json(
                .post, "/v1/organizations", token: token,
                body: #"{"legalName":"A","legalDocument":"1","metadata":{"n":\#(thirty),"x":0.000001,"s":"1\"2"}}"#
            )
            #expect(kept.status == .created)
            #expect(kept.text.contains(#""n":\#(thirty)"#), "\(kept.text)")
            let rounded = try await client.json(
                .post, "/v1/organizations", token: token, body: #"{"legalName":"A","legalDocument":"1","metadata":{"n":\#(thirty)1}}"#
            )
            try rounded.expectProblem(.badRequest, code: "SR-0002")
            // Digits inside strings are text, not numbers.
            let text = try await client.json(
                .post, "/v1/organizations", token: token,
                body: #"{"legalName":"\#(String(repeating: "9", count: 60))","legalDocument":"1"}"#
            )
            #expect(text.status == .created)
        }
    }
}
