import Foundation
import Testing

@testable import StrongroomBench

/// The books check on a ledger served as the API renders it, right and then wrong: the same
/// checker the server tests run against real servers, shown here to catch each breach.
@Suite("Book check")
struct BookCheckTests {
    static let ledger = "/v1/organizations/o/ledgers/l"

    static func balance(_ id: String, _ account: String, _ alias: String, _ available: String, version: Int) -> String {
        #"{"id":"\#(id)","accountId":"\#(account)","alias":"\#(alias)","assetCode":"USD","available":"\#(available)","onHold":"0.00","version":\#(version)}"#
    }

    static func operation(_ id: String, balance: String, _ type: String, _ amount: String, from: String, to: String, version: Int) -> String {
        #"{"id":"\#(id)","type":"\#(type)","balanceId":"\#(balance)","amount":{"value":"\#(amount)"},"#
            + #""balance":{"available":"\#(from)","onHold":"0.00","version":\#(version - 1)},"#
            + #""balanceAfter":{"available":"\#(to)","onHold":"0.00","version":\#(version)}}"#
    }

    /// A ledger of two balances: `@a` received 10.00 from the external account.
    static func serve(aAvailable: String = "10.00", creditAmount: String = "10.00") -> BookCheck.Fetch {
        let pages: [String: String] = [
            "\(ledger)/balances?limit=100": #"{"items":[\#(balance("ba", "a", "@a", aAvailable, version: 1)),\#(balance("bx", "x", "@external/USD", "-10.00", version: 1))]}"#,
            "\(ledger)/accounts/a/operations?sort_order=asc&limit=100": #"{"items":[\#(operation("o1", balance: "ba", "CREDIT", creditAmount, from: "0.00", to: "10.00", version: 1))]}"#,
            "\(ledger)/accounts/x/operations?sort_order=asc&limit=100": #"{"items":[\#(operation("o2", balance: "bx", "DEBIT", "10.00", from: "0.00", to: "-10.00", version: 1))]}"#,
        ]
        return { path in
            guard let page = pages[path] else { return (404, Data()) }
            return (200, Data(page.utf8))
        }
    }

    @Test func balancedBooksPass() async throws {
        let result = try await BookCheck(ledgerPath: Self.ledger, fetch: Self.serve()).run()
        #expect(result.findings == [])
        #expect(result.balances == 2)
        #expect(result.operations == 2)
    }

    @Test func aBalanceThatIsNotItsOperationsFails() async throws {
        let result = try await BookCheck(ledgerPath: Self.ledger, fetch: Self.serve(aAvailable: "11.00")).run()
        #expect(result.findings.contains("the balances of USD sum to 100 minor units, not zero"))
        #expect(result.findings.contains("balance @a is not the sum of its operations"))
    }

    @Test func anOperationThatDoesNotMoveItsAmountFails() async throws {
        let result = try await BookCheck(ledgerPath: Self.ledger, fetch: Self.serve(creditAmount: "9.00")).run()
        #expect(result.findings == ["operation o1 of @a does not move its amount"])
    }

    @Test func anUnreadableListStopsTheCheck() async throws {
        await #expect(throws: BookCheck.Unreadable.self) {
            try await BookCheck(ledgerPath: "/v1/organizations/o/ledgers/missing", fetch: Self.serve()).run()
        }
    }
}
