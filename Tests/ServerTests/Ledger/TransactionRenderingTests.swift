import Bookkeeping
import Foundation
import LedgerCore
import StrongroomKernel
import Testing

/// A transaction and an operation have one rendering (`SortedJSONWritable`), used by every
/// answer that carries them: the 201 of a posting, the stored idempotent answer replayed byte
/// for byte, a batch's answer, reads and lists. Its bytes must stay those answers were
/// stored with (the golden texts below, which `JSONEncoder` wrote with sorted keys when it
/// still rendered these types), and every object in it lists its keys in ascending byte
/// order, as those answers did. Legs, stored as JSON text, are read back by `JSONDecoder`.
@Suite("Transaction rendering")
struct TransactionRenderingTests {
    @Test func aTransactionWritesTheBytesStoredAnswersHold() throws {
        let sample = try Self.sample()
        #expect(String(decoding: SortedJSONWriter.write(sample.full), as: UTF8.self) == Self.fullGolden)
        #expect(String(decoding: SortedJSONWriter.write(sample.plain), as: UTF8.self) == Self.plainGolden)
    }

    @Test func anOperationWritesTheBytesStoredAnswersHold() throws {
        let operation = try Self.sample().full.operations[0]
        #expect(String(decoding: SortedJSONWriter.write(operation), as: UTF8.self) == Self.operationGolden)
    }

    @Test func writtenTransactionsKeepTheirContract() throws {
        // The check itself: a key out of order fails it at any depth, in an object of an
        // array too; each object starts its order afresh; a key inside a string is no key.
        #expect(Self.keysAreSorted(Array(#"{"a":[{"b":1},{"a":"},\"z\":"}],"b":{"z":0,"é":1}}"#.utf8)))
        #expect(!Self.keysAreSorted(Array(#"{"b":1,"a":2}"#.utf8)))
        #expect(!Self.keysAreSorted(Array(#"{"a":{"d":1,"c":2}}"#.utf8)))
        #expect(!Self.keysAreSorted(Array(#"{"a":[{"b":1,"a":1}]}"#.utf8)))
        var random = SplitMix64(seed: 20_261_203)
        for round in 0..<400 {
            let transaction = try Self.transaction(&random)
            let written = SortedJSONWriter.write(transaction)
            let sorted = Self.keysAreSorted(written)  // a Bool, so that a failure shows the text, not its bytes
            #expect(sorted, "round \(round): \(String(decoding: written, as: UTF8.self))")
            try Self.expectFields(of: transaction, in: written, "round \(round)")
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

    // MARK: - The contract, checked on any transaction

    /// Whether every object in `text` lists its keys in ascending order of their bytes, as
    /// `JSONEncoder`'s `.sortedKeys` writes them.
    static func keysAreSorted(_ text: [UInt8]) -> Bool {
        var lastKeys: [[UInt8]?] = []  // one per open container; an array's stays nil
        var objects: [Bool] = []
        var expectingKey = false
        var index = 0
        while index < text.count {
            switch text[index] {
            case UInt8(ascii: "{"):
                lastKeys.append(nil)
                objects.append(true)
                expectingKey = true
            case UInt8(ascii: "["):
                lastKeys.append(nil)
                objects.append(false)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                lastKeys.removeLast()
                objects.removeLast()
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = objects.last == true
            case UInt8(ascii: "\""):
                var end = index + 1
                while text[end] != UInt8(ascii: "\"") { end += text[end] == UInt8(ascii: "\\") ? 2 : 1 }
                if expectingKey {
                    let key = Array(text[(index + 1)..<end])
                    if let last = lastKeys[lastKeys.count - 1], !last.lexicographicallyPrecedes(key) { return false }
                    lastKeys[lastKeys.count - 1] = key
                    expectingKey = false
                }
                index = end
            default: break
            }
            index += 1
        }
        return lastKeys.isEmpty
    }

    /// The members the API documents, read back from the written text.
    static func expectFields(
        of transaction: Transaction, in written: [UInt8], _ comment: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written)) as? [String: Any], sourceLocation: sourceLocation)
        func expect(_ condition: Bool, _ what: String) { #expect(condition, "\(comment): \(what)", sourceLocation: sourceLocation) }
        expect(object["id"] as? String == transaction.id, "id")
        expect(object["organizationId"] as? String == transaction.organizationID, "organizationId")
        expect(object["ledgerId"] as? String == transaction.ledgerID, "ledgerId")
        expect(object["parentTransactionId"] as? String == transaction.parentTransactionID, "parentTransactionId")
        expect(object["description"] as? String == transaction.description, "description")
        expect(object["code"] as? String == transaction.code, "code")
        expect(object["chartOfAccountsGroupName"] as? String == transaction.chartOfAccountsGroupName, "chartOfAccountsGroupName")
        let status = object["status"] as? [String: Any]
        expect(status?["code"] as? String == transaction.status.rawValue, "status.code")
        expect(status?["description"] as? String == transaction.statusDescription, "status.description")
        expect(object["amount"] as? String == transaction.amount.description, "amount")
        expect(object["assetCode"] as? String == transaction.assetCode, "assetCode")
        expect(object["source"] as? [String] == transaction.legs(.source).map(\.alias), "source")
        expect(object["destination"] as? [String] == transaction.legs(.destination).map(\.alias), "destination")
        expect(object["pending"] as? Bool == transaction.pending, "pending")
        expect(object["pendingExpiresAt"] as? String == transaction.pendingExpiresAt?.description, "pendingExpiresAt")
        expect(object["revertedBy"] as? String == transaction.revertedBy, "revertedBy")
        expect((object["metadata"] as? [String: Any])?.count == transaction.metadata.entries.count, "metadata")
        expect(object["createdAt"] as? String == transaction.createdAt.description, "createdAt")
        expect(object["updatedAt"] as? String == transaction.updatedAt.description, "updatedAt")
        let operations = object["operations"] as? [[String: Any]] ?? []
        expect(operations.count == transaction.operations.count, "operations")
        for (written, operation) in zip(operations, transaction.operations) {
            expect(written["id"] as? String == operation.id, "operation id")
            expect(written["transactionId"] as? String == operation.transactionID, "operation transactionId")
            expect(written["accountId"] as? String == operation.accountID, "operation accountId")
            expect(written["accountAlias"] as? String == operation.accountAlias, "operation accountAlias")
            expect(written["balanceId"] as? String == operation.balanceID, "operation balanceId")
            expect(written["type"] as? String == operation.type.rawValue, "operation type")
            expect(written["description"] as? String == operation.description, "operation description")
            expect(written["chartOfAccounts"] as? String == operation.chartOfAccounts, "operation chartOfAccounts")
            expect((written["amount"] as? [String: Any])?["value"] as? String == operation.amount.description, "operation amount")
            let before = written["balance"] as? [String: Any]
            let after = written["balanceAfter"] as? [String: Any]
            expect(before?["available"] as? String == operation.before.available.description, "operation balance")
            expect(after?["onHold"] as? String == operation.after.onHold.description, "operation balanceAfter")
            expect((after?["version"] as? NSNumber)?.int64Value == operation.after.version, "operation balanceAfter.version")
            expect((written["status"] as? [String: Any])?["code"] as? String == operation.status.rawValue, "operation status")
        }
    }

    // MARK: - Golden bytes

    /// One transaction with every optional member, escapes in its texts, metadata whose keys
    /// sort, legs on both sides and a pending expiry; and one with none of them.
    static func sample() throws -> (full: Transaction, plain: Transaction) {
        let t0 = Timestamp(microsecondsSinceEpoch: 1_790_000_000_123_456)
        let t1 = Timestamp(microsecondsSinceEpoch: 1_790_000_005_000_000)
        let expiry = Timestamp(microsecondsSinceEpoch: 1_790_003_605_000_000)
        let id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
        let organization = "0190a1b2-0000-7000-8000-0000000000f1"
        let ledger = "0190a1b2-0000-7000-8000-0000000000f2"
        let legs = [
            TransactionLeg(
                side: .source, accountID: "0190a1b2-0000-7000-8000-00000000000a", balanceID: "0190a1b2-0000-7000-8000-0000000000ba",
                alias: "@alice", minorUnits: "725", description: "from \"leg\"", chartOfAccounts: nil, metadata: Metadata(["leg": .string("src")])
            ),
            TransactionLeg(
                side: .destination, accountID: "0190a1b2-0000-7000-8000-00000000000b", balanceID: "0190a1b2-0000-7000-8000-0000000000bb",
                alias: "@bob/ü", minorUnits: "700", description: nil, chartOfAccounts: "2000", metadata: nil
            ),
            TransactionLeg(
                side: .destination, accountID: "0190a1b2-0000-7000-8000-00000000000c", balanceID: "0190a1b2-0000-7000-8000-0000000000bc",
                alias: "@carol", minorUnits: "25", description: nil, chartOfAccounts: nil, metadata: nil
            ),
        ]
        func usd(_ minor: Int128) throws -> Amount { try Amount(minorUnits: minor, scale: 2) }
        let operations = [
            LedgerOperation(
                id: "0190a1b2-0000-7000-8000-0000000000c1", transactionID: id, organizationID: organization, ledgerID: ledger,
                accountID: legs[0].accountID, accountAlias: "@alice", balanceID: legs[0].balanceID, assetCode: "USD", type: .onHold,
                description: "line\nbreak\t\u{0001}", chartOfAccounts: "1000.10", amount: try usd(725),
                before: BalanceSnapshot(available: try usd(10_000), onHold: try usd(0), version: 2),
                after: BalanceSnapshot(available: try usd(9_275), onHold: try usd(725), version: 3), status: .pending,
                metadata: Metadata(["leg": .string("src"), "n": .number(Decimal(string: "-12.5")!)]), createdAt: t1, updatedAt: t1
            ),
            LedgerOperation(
                id: "0190a1b2-0000-7000-8000-0000000000c2", transactionID: id, organizationID: organization, ledgerID: ledger,
                accountID: legs[1].accountID, accountAlias: "@bob/ü", balanceID: legs[1].balanceID, assetCode: "USD", type: .credit,
                description: nil, chartOfAccounts: nil, amount: try usd(-700),
                before: BalanceSnapshot(available: try usd(-5), onHold: try usd(0), version: 0),
                after: BalanceSnapshot(available: try usd(695), onHold: try usd(0), version: 1), status: .pending, metadata: Metadata(),
                createdAt: t1, updatedAt: t1
            ),
        ]
        let full = Transaction(
            id: id, organizationID: organization, ledgerID: ledger, parentTransactionID: "0190a1b2-0000-7000-8000-0000000000e1",
            description: "held \"one\" a/b ü", code: "PIX", chartOfAccountsGroupName: "group 1", status: .pending,
            statusDescription: "waiting 😀", amount: try usd(725), assetCode: "USD", legs: legs, pending: true, pendingExpiresAt: expiry,
            revertedBy: "0190a1b2-0000-7000-8000-0000000000e2",
            metadata: Metadata(["ref": .string("INV-1"), "n": .number(Decimal(string: "-12.5")!), "ok": .bool(true), "Z": .string("z"), "é": .number(7)]),
            createdAt: t0, updatedAt: t1, operations: operations
        )
        let plain = Transaction(
            id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", organizationID: organization, ledgerID: ledger, parentTransactionID: nil,
            description: nil, code: nil, chartOfAccountsGroupName: nil, status: .approved, statusDescription: nil,
            amount: try Amount(minorUnits: 123_456_789_012_345_678, scale: 18), assetCode: "BTC", legs: [legs[0]], pending: false,
            pendingExpiresAt: nil, revertedBy: nil, metadata: Metadata(), createdAt: t0, updatedAt: t0, operations: []
        )
        return (full, plain)
    }

    /// `sample().full` as `JSONEncoder` rendered it for reads and lists before this rendering
    /// became the only one (captured from that build), and as the stored answers hold it.
    static let fullGolden = [
        #"{"amount":"7.25","assetCode":"USD","chartOfAccountsGroupName":"group 1","code":"PIX","createdAt":"2026-09-21T14:13:20.123456Z","#,
        #""description":"held \"one\" a/b ü","destination":["@bob/ü","@carol"],"id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","#,
        #""ledgerId":"0190a1b2-0000-7000-8000-0000000000f2","metadata":{"Z":"z","n":-12.5,"ok":true,"ref":"INV-1","#,
        #""é":7},"operations":[{"accountAlias":"@alice","accountId":"0190a1b2-0000-7000-8000-00000000000a","#,
        #""amount":{"value":"7.25"},"assetCode":"USD","balance":{"available":"100.00","onHold":"0.00","version":2},"#,
        #""balanceAfter":{"available":"92.75","onHold":"7.25","version":3},"balanceId":"0190a1b2-0000-7000-8000-0000000000ba","#,
        #""chartOfAccounts":"1000.10","createdAt":"2026-09-21T14:13:25.000000Z","description":"line\nbreak\t\u0001","#,
        #""id":"0190a1b2-0000-7000-8000-0000000000c1","ledgerId":"0190a1b2-0000-7000-8000-0000000000f2","metadata":{"leg":"src","#,
        #""n":-12.5},"organizationId":"0190a1b2-0000-7000-8000-0000000000f1","status":{"code":"PENDING"},"transactionId":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","#,
        #""type":"ON_HOLD","updatedAt":"2026-09-21T14:13:25.000000Z"},{"accountAlias":"@bob/ü","accountId":"0190a1b2-0000-7000-8000-00000000000b","#,
        #""amount":{"value":"-7.00"},"assetCode":"USD","balance":{"available":"-0.05","onHold":"0.00","version":0},"#,
        #""balanceAfter":{"available":"6.95","onHold":"0.00","version":1},"balanceId":"0190a1b2-0000-7000-8000-0000000000bb","#,
        #""createdAt":"2026-09-21T14:13:25.000000Z","id":"0190a1b2-0000-7000-8000-0000000000c2","ledgerId":"0190a1b2-0000-7000-8000-0000000000f2","#,
        #""metadata":{},"organizationId":"0190a1b2-0000-7000-8000-0000000000f1","status":{"code":"PENDING"},"#,
        #""transactionId":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","type":"CREDIT","updatedAt":"2026-09-21T14:13:25.000000Z"}],"#,
        #""organizationId":"0190a1b2-0000-7000-8000-0000000000f1","parentTransactionId":"0190a1b2-0000-7000-8000-0000000000e1","#,
        #""pending":true,"pendingExpiresAt":"2026-09-21T15:13:25.000000Z","revertedBy":"0190a1b2-0000-7000-8000-0000000000e2","#,
        #""source":["@alice"],"status":{"code":"PENDING","description":"waiting 😀"},"updatedAt":"2026-09-21T14:13:25.000000Z"}"#,
    ].joined()

    /// `sample().plain`, likewise.
    static let plainGolden = [
        #"{"amount":"0.123456789012345678","assetCode":"BTC","createdAt":"2026-09-21T14:13:20.123456Z","destination":[],"#,
        #""id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c","ledgerId":"0190a1b2-0000-7000-8000-0000000000f2","metadata":{},"#,
        #""operations":[],"organizationId":"0190a1b2-0000-7000-8000-0000000000f1","pending":false,"source":["@alice"],"#,
        #""status":{"code":"APPROVED"},"updatedAt":"2026-09-21T14:13:20.123456Z"}"#,
    ].joined()

    /// `sample().full.operations[0]`, likewise.
    static let operationGolden = [
        #"{"accountAlias":"@alice","accountId":"0190a1b2-0000-7000-8000-00000000000a","amount":{"value":"7.25"},"#,
        #""assetCode":"USD","balance":{"available":"100.00","onHold":"0.00","version":2},"balanceAfter":{"available":"92.75","#,
        #""onHold":"7.25","version":3},"balanceId":"0190a1b2-0000-7000-8000-0000000000ba","chartOfAccounts":"1000.10","#,
        #""createdAt":"2026-09-21T14:13:25.000000Z","description":"line\nbreak\t\u0001","id":"0190a1b2-0000-7000-8000-0000000000c1","#,
        #""ledgerId":"0190a1b2-0000-7000-8000-0000000000f2","metadata":{"leg":"src","n":-12.5},"organizationId":"0190a1b2-0000-7000-8000-0000000000f1","#,
        #""status":{"code":"PENDING"},"transactionId":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","type":"ON_HOLD","#,
        #""updatedAt":"2026-09-21T14:13:25.000000Z"}"#,
    ].joined()

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
