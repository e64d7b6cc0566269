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
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    @Test func writtenTransactionsAreJSONEncodersBytes() throws {
        var random = SeededRandom(seed: 20_261_203)
        for round in 0..<400 {
            let transaction = try Self.transaction(&random)
            let written = SortedJSONWriter.write(transaction)
            let encoded = Array(try Self.encoder.encode(transaction))
            let same = written == encoded  // a Bool, so that a failure shows the two texts, not two byte arrays
            #expect(
                same,
                "round \(round):\n\(String(decoding: written, as: UTF8.self))\n\(String(decoding: encoded, as: UTF8.self))"
            )
            // The legs as the transactions table stores them.
            #expect(SortedJSONWriter.write(transaction.legs) == Array(try Self.encoder.encode(transaction.legs)), "round \(round)")
        }
    }

    @Test func aPlainTransferRendersItsKnownShape() throws {
        var random = SeededRandom(seed: 1)
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

    private static func pick<T>(_ items: [T], _ random: inout SeededRandom) -> T { items[Int(random.next() % UInt64(items.count))] }

    private static func maybe<T>(_ value: T, _ random: inout SeededRandom) -> T? { random.next() % 2 == 0 ? value : nil }

    private static func text(_ random: inout SeededRandom) -> String { pick(texts, &random) }

    private static func metadata(_ random: inout SeededRandom) -> Metadata {
        switch random.next() % 4 {
        case 0: return Metadata()
        case 1: return Metadata(["tier": .string(text(&random))])
        case 2: return Metadata(["n": .number(Decimal(string: "-12.5")!), "b": .bool(true), "Z": .string("z"), "é": .number(7)])
        default: return Metadata(["ref": .string("INV-\(random.next() % 1000)"), "a_b": .bool(false)])
        }
    }

    private static func amount(_ scale: Int, _ random: inout SeededRandom) throws -> Amount {
        let magnitude = Int128(random.next() % 1_000_000_000_000) * (random.next() % 3 == 0 ? 1_000_000 : 1)
        return try Amount(minorUnits: random.next() % 5 == 0 ? -magnitude : magnitude, scale: scale)
    }

    private static func time(_ random: inout SeededRandom) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000 + Int64(random.next() % 100_000_000_000_000))
    }

    private static func snapshot(_ scale: Int, _ random: inout SeededRandom) throws -> BalanceSnapshot {
        BalanceSnapshot(available: try amount(scale, &random), onHold: try amount(scale, &random), version: Int64(random.next() % 1_000_000))
    }

    static func transaction(_ random: inout SeededRandom) throws -> Transaction {
        let scale = pick([0, 2, 8, 18], &random)
        let id = UUID().uuidString.lowercased()
        let status = pick([TransactionStatus.approved, .pending, .canceled], &random)
        let legs = (0..<(1 + random.next() % 4)).map { index in
            TransactionLeg(
                side: index == 0 || random.next() % 2 == 0 ? .source : .destination, accountID: UUID().uuidString.lowercased(),
                balanceID: UUID().uuidString.lowercased(), alias: pick(["@a", "@world", "@ü\"x", "@x/y"], &random),
                minorUnits: String(random.next() % 100_000), description: maybe(text(&random), &random),
                chartOfAccounts: maybe("2000", &random), metadata: maybe(metadata(&random), &random)
            )
        }
        let operations = try legs.map { leg in
            LedgerOperation(
                id: UUID().uuidString.lowercased(), transactionID: id, organizationID: "org", ledgerID: "led", accountID: leg.accountID,
                accountAlias: leg.alias, balanceID: leg.balanceID, assetCode: "USD",
                type: pick([MovementKind.debit, .credit, .onHold, .release], &random), description: maybe(text(&random), &random),
                chartOfAccounts: maybe("1000.10", &random), amount: try amount(scale, &random), before: try snapshot(scale, &random),
                after: try snapshot(scale, &random), status: status, metadata: metadata(&random), createdAt: time(&random),
                updatedAt: time(&random)
            )
        }
        return Transaction(
            id: id, organizationID: UUID().uuidString.lowercased(), ledgerID: UUID().uuidString.lowercased(),
            parentTransactionID: maybe(UUID().uuidString.lowercased(), &random), description: maybe(text(&random), &random),
            code: maybe("PIX", &random), chartOfAccountsGroupName: maybe(text(&random), &random), status: status,
            statusDescription: maybe(text(&random), &random), amount: try amount(scale, &random), assetCode: pick(["USD", "BTC", "X"], &random),
            legs: legs, pending: random.next() % 2 == 0, pendingExpiresAt: maybe(time(&random), &random),
            revertedBy: maybe(UUID().uuidString.lowercased(), &random), metadata: metadata(&random), createdAt: time(&random),
            updatedAt: time(&random), operations: operations
        )
    }
}
