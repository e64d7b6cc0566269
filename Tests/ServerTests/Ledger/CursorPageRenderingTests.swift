import Bookkeeping
import Foundation
import StrongroomEdge
import StrongroomKernel
import Testing

@testable import StrongroomServer

/// The envelope of a keyset page (`LedgerHTTP.CursorAnswer`) around the one rendering of its
/// items: the bytes lists answered when `JSONEncoder` wrote them with sorted keys, so a page
/// holds each transaction or operation exactly as its other answers do.
@Suite("Cursor page rendering")
struct CursorPageRenderingTests {
    private static func text(_ value: some SortedJSONWritable) -> String { String(decoding: SortedJSONWriter.write(value), as: UTF8.self) }

    @Test func aPageOfTransactionsHoldsEachOnesRenderingAndBothCursors() throws {
        let sample = try TransactionRenderingTests.sample()
        let page = CursorPage(
            items: [sample.full, sample.plain], next: Cursor(direction: .next, id: sample.plain.id),
            previous: Cursor(direction: .previous, id: sample.full.id)
        )
        let expected = #"{"items":["# + TransactionRenderingTests.fullGolden + "," + TransactionRenderingTests.plainGolden
            + #"],"limit":2,"next_cursor":"bjowMTkwYTFiMi1jM2Q0LTdlNWYtOGE5Yi0wYzFkMmUzZjRhNWM","#
            + #""prev_cursor":"cDowMTkwYTFiMi1jM2Q0LTdlNWYtOGE5Yi0wYzFkMmUzZjRhNWI"}"#
        #expect(Self.text(LedgerHTTP.CursorAnswer(page, limit: 2)) == expected)
    }

    @Test func aPageAtBothEndsHasNoCursors() throws {
        let plain = try TransactionRenderingTests.sample().plain
        let one = CursorPage(items: [plain], next: nil, previous: nil)
        #expect(Self.text(LedgerHTTP.CursorAnswer(one, limit: 10)) == #"{"items":["# + TransactionRenderingTests.plainGolden + #"],"limit":10}"#)
        let none = CursorPage<Transaction>(items: [], next: nil, previous: nil)
        #expect(Self.text(LedgerHTTP.CursorAnswer(none, limit: 10)) == #"{"items":[],"limit":10}"#)
    }

    @Test func aPageOfOperationsHoldsEachOnesRendering() throws {
        let full = try TransactionRenderingTests.sample().full
        let page = CursorPage(items: [full.operations[0]], next: Cursor(direction: .next, id: full.id), previous: nil)
        let expected = #"{"items":["# + TransactionRenderingTests.operationGolden
            + #"],"limit":5,"next_cursor":"bjowMTkwYTFiMi1jM2Q0LTdlNWYtOGE5Yi0wYzFkMmUzZjRhNWI"}"#
        #expect(Self.text(LedgerHTTP.CursorAnswer(page, limit: 5)) == expected)
    }

    /// Balances render through `JSONEncoder`; their page is the same envelope.
    @Test func aPageOfEncodableItemsHoldsTheirEncodedText() throws {
        struct Row: Encodable, Sendable {
            let name: String
            let amount: Int
        }
        let page = CursorPage(items: [Row(name: "a/b", amount: 1), Row(name: "c", amount: -2)], next: nil, previous: Cursor(direction: .previous, id: "x"))
        #expect(
            Self.text(try LedgerHTTP.CursorAnswer(page, limit: 3))
                == #"{"items":[{"amount":1,"name":"a/b"},{"amount":-2,"name":"c"}],"limit":3,"prev_cursor":"cDp4"}"#
        )
    }
}
