import Bookkeeping
import Foundation
import LedgerCore
import StrongroomKernel
import Testing

/// The hand-written rendering of a posted transaction (`SortedJSONWritable`) must be the
/// bytes `JSONEncoder` makes of its `Encodable` form: a stored idempotent answer is
/// replayed byte for byte, and lists and reads still render through `JSONEncoder`. Its legs,
/// stored as JSON text, are read back by `JSONDecoder`.
@Suite("Transaction rendering")
struct TransactionRenderingTests {
    @Test func writtenTransactionsAreJSONEncodersBytes() throws {
        var random = SplitMix64(seed: 20_261_203)
        for round in 0..<400 {
            let transaction = try Self.transaction(&random)
            try SortedJSONExpectation.expectSameBytes(transaction, "round \(round)")
            // The legs as the transactions table stores them.
            try SortedJSONExpectation.expectSameBytes(transaction.legs, "round \(round), legs")
        }
    }

    @Test func aPlainTransferRendersItsKnownShape() throws {
        var random = SplitMix64(seed: 1)
        var transaction = try Self.transaction(&random)
        transaction.operations = []
        transaction.metadata = Metadata()
        let text = String(decoding: SortedJSONWriter.write(transaction), as: UTF8.self)
        #expect(text.hasPrefix("{\"amount\":\""))
        #expect(text.contains("\"metadata\":{},\"operations\":[],\"organizationId\":"))
        #expect(text.hasSuffix("Z\"}"))
    }

    // MARK: - Varied transactions

    private static let texts = [
        "", "plain", "with \"quotes\" and \\ backslash", "line\nbreak\ttab\u{0001}\u{001F}", "slash/and/ü", "😀 \u{2028}",
    ]


    private static func maybe<T>(_ value: T, _ random: inout SplitMix64) -> T? { Bool.random(using: &random) ? value : nil }

    private static func text(_ random: inout SplitMix64) -> String { texts.randomElement(using: &random)! }

    private static func metadata(_ random: inout SplitMix64) -> Metadata {
        switch random.next() % 4 {
        case 0: return Metadata()
        case 1: return Metadata(["tier": .string(text(&random))])
        case 2: return Metadata(["n": .number(Decimal(string: "-12.5")!), "b": .bool(true), "Z": .string("z"), "é": .number(7)])
        default: return Metadata(["ref": .string("INV-\(random.next() % 1000)"), "a_b": .bool(false)])
        }
    }

    private static func amount(_ scale: Int, _ random: inout SplitMix64) throws -> Amount {
        let magnitude = Int128(random.next() % 1_000_000_000_000) * (random.next() % 3 == 0 ? 1_000_000 : 1)
        return try Amount(minorUnits: random.next() % 5 == 0 ? -magnitude : magnitude, scale: scale)
    }

    private static func time(_ random: inout SplitMix64) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000 + Int64(random.next() % 100_000_000_000_000))
    }

    private static func snapshot(_ scale: Int, _ random: inout SplitMix64) throws -> BalanceSnapshot {
        BalanceSnapshot(available: try amount(scale, &random), onHold: try amount(scale, &random), version: Int64(random.next() % 1_000_000))
    }

    static func transaction(_ random: inout SplitMix64) throws -> Transaction {
        let scale = [0, 2, 8, 18].randomElement(using: &random)!
        let id = UUID().uuidString.lowercased()
        let status = [TransactionStatus.approved, .pending, .canceled].randomElement(using: &random)!
        let legs = (0..<(1 + random.next() % 4)).map { index in
            TransactionLeg(
                side: index == 0 || random.next() % 2 == 0 ? .source : .destination, accountID: UUID().uuidString.lowercased(),
                balanceID: UUID().uuidString.lowercased(), alias: ["@a", "@world", "@ü\"x", "@x/y"].randomElement(using: &random)!,
                minorUnits: String(random.next() % 100_000), description: maybe(text(&random), &random),
                chartOfAccounts: maybe("2000", &random), metadata: maybe(metadata(&random), &random)
            )
        }
        let operations = try legs.map { leg in
            LedgerOperation(
                id: UUID().uuidString.lowercased(), transactionID: id, organizationID: "org", ledgerID: "led", accountID: leg.accountID,
                accountAlias: leg.alias, balanceID: leg.balanceID, assetCode: "USD",
                type: [MovementKind.debit, .credit, .onHold, .release].randomElement(using: &random)!, description: maybe(text(&random), &random),
                chartOfAccounts: maybe("1000.10", &random), amount: try amount(scale, &random), before: try snapshot(scale, &random),
                after: try snapshot(scale, &random), status: status, metadata: metadata(&random), createdAt: time(&random),
                updatedAt: time(&random)
            )
        }
        return Transaction(
            id: id, organizationID: UUID().uuidString.lowercased(), ledgerID: UUID().uuidString.lowercased(),
            parentTransactionID: maybe(UUID().uuidString.lowercased(), &random), description: maybe(text(&random), &random),
            code: maybe("PIX", &random), chartOfAccountsGroupName: maybe(text(&random), &random), status: status,
            statusDescription: maybe(text(&random), &random), amount: try amount(scale, &random), assetCode: ["USD", "BTC", "X"].randomElement(using: &random)!,
            legs: legs, pending: random.next() % 2 == 0, pendingExpiresAt: maybe(time(&random), &random),
            revertedBy: maybe(UUID().uuidString.lowercased(), &random), metadata: metadata(&random), createdAt: time(&random),
            updatedAt: time(&random), operations: operations
        )
    }
}
