import Bookkeeping
import Foundation
import HTTPTypes
import StrongroomEdge
import StrongroomKernel
import Testing

@testable import StrongroomServer

/// The hand-written canonical text of transaction bodies and batches, which idempotency keys
/// hash, must be the bytes `JSONEncoder` makes of the same value, so that keys stored before
/// it still match; the batch's answer, stored and replayed, must keep the shape it was
/// stored in, around each transaction's one rendering.
@Suite("Request rendering")
struct RequestRenderingTests {
    @Test func writtenBodiesAreJSONEncodersBytes() throws {
        var random = SplitMix64(seed: 20_261_206)
        for round in 0..<400 {
            try SortedJSONExpectation.expectSameBytes(try Self.body(&random), "round \(round)")
        }
    }

    @Test func aBodyDecodedFromItsCanonicalTextWritesTheSameText() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let written = SortedJSONWriter.write(try Self.body(&random))
            let again = try JSONDecoder().decode(TransactionBody.self, from: Data(written))
            #expect(SortedJSONWriter.write(again) == written)
        }
    }

    @Test func writtenBatchesAreJSONEncodersBytes() throws {
        var random = SplitMix64(seed: 11)
        for round in 0..<20 {
            let bodies = try (0..<(1 + random.next() % 6)).map { _ in try Self.body(&random) }
            let text = #"{"atomic":\#(random.next() % 2 == 0),"transactions":"#
                + String(decoding: try SortedJSONExpectation.encoder.encode(bodies), as: UTF8.self) + "}"
            let batch = try JSONDecoder().decode(TransactionBatchRequest.self, from: Data(text.utf8))
            try SortedJSONExpectation.expectSameBytes(batch, "round \(round)")
        }
    }

    /// A batch's answer holds each created transaction in its one rendering and each refusal
    /// as its problem document, with every object's keys in the order stored answers hold.
    @Test func writtenBatchAnswersHoldEachTransactionsRendering() throws {
        var random = SplitMix64(seed: 13)
        for round in 0..<40 {
            let outcomes: [PostingEngine.Outcome] = try (0..<(1 + random.next() % 8)).map { _ in
                switch random.next() % 3 {
                case 0: return .failure(StrongroomError(.invalidField, "Field \"x\": bad\n."))
                case 1:
                    let fields = [StrongroomError.FieldError(field: "send.value", message: "must be > 0 / ü")]
                    return .failure(StrongroomError(.batchRefused, "refused", fields: fields))
                default: return .success(try TransactionRenderingTests.transaction(&random))
                }
            }
            for detail in [TransactionBatchAnswer.Detail.full, .compact] {
                let written = SortedJSONWriter.write(TransactionBatchAnswer(outcomes, detail: detail))
                let text = String(decoding: written, as: UTF8.self)
                let sorted = TransactionRenderingTests.keysAreSorted(written)
                #expect(sorted, "round \(round), \(detail): \(text)")
                var expected = #"{"created":\#(outcomes.count(where: \.isSuccess)),"failed":\#(outcomes.count { !$0.isSuccess }),"items":["#
                for (index, outcome) in outcomes.enumerated() {
                    if index > 0 { expected += "," }
                    switch outcome {
                    case .success(let transaction) where detail == .full:
                        let rendering = String(decoding: SortedJSONWriter.write(transaction), as: UTF8.self)
                        expected += #"{"index":\#(index),"status":201,"transaction":\#(rendering)}"#
                    case .success(let transaction):
                        expected += #"{"id":"\#(transaction.id)","index":\#(index),"status":201}"#
                    case .failure(let error):
                        let document = Problem.document(error, instance: nil)
                        try SortedJSONExpectation.expectSameBytes(document, "round \(round), problem")
                        let rendering = String(decoding: SortedJSONWriter.write(document), as: UTF8.self)
                        expected += #"{"error":\#(rendering),"index":\#(index),"status":\#(Problem.status(for: error.kind).code)}"#
                    }
                }
                #expect(text == expected + "]}", "round \(round), \(detail)")
            }
        }
    }

    // MARK: - Varied bodies, built as JSON text and decoded as the route decodes them

    private static let texts = ["plain", "with \"quotes\" and \\", "line\nbreak\t\u{0001}", "slash/ü", "😀 \u{2028}", ""]



    private static func metadata(_ random: inout SplitMix64) -> [String: Any] {
        switch random.next() % 3 {
        case 0: return [:]
        case 1: return ["tier": texts.randomElement(using: &random)!, "n": -12.5, "ok": true]
        default: return ["Z": "z", "a_b": 7, "é": texts.randomElement(using: &random)!]
        }
    }

    private static func leg(_ random: inout SplitMix64) -> [String: Any] {
        var leg: [String: Any] = ["accountAlias": ["@a", "@world", "@ü\"x", "@x/y"].randomElement(using: &random)!]
        switch random.next() % 3 {
        case 0: leg["amount"] = ["asset": "USD", "value": "12.50"]
        case 1:
            var share: [String: Any] = ["percentage": Int(random.next() % 101)]
            if Bool.random(using: &random) { share["percentageOfPercentage"] = Int(random.next() % 101) }
            leg["share"] = share
        default: leg["remaining"] = "remaining"
        }
        if Bool.random(using: &random) { leg["balanceKey"] = ["default", "savings"].randomElement(using: &random)! }
        if Bool.random(using: &random) { leg["description"] = texts.randomElement(using: &random)! }
        if Bool.random(using: &random) { leg["chartOfAccounts"] = "1000.10" }
        if Bool.random(using: &random) { leg["metadata"] = metadata(&random) }
        return leg
    }

    private static func body(_ random: inout SplitMix64) throws -> TransactionBody {
        var send: [String: Any] = [
            "asset": ["USD", "BTC"].randomElement(using: &random)!,
            "value": ["0.01", "100", "12345678.123456"].randomElement(using: &random)!,
        ]
        if Bool.random(using: &random) { send["source"] = ["from": (0...(random.next() % 3)).map { _ in leg(&random) }] }
        if Bool.random(using: &random) { send["distribute"] = ["to": (0...(random.next() % 3)).map { _ in leg(&random) }] }
        var body: [String: Any] = ["send": send]
        if Bool.random(using: &random) { body["description"] = texts.randomElement(using: &random)! }
        if Bool.random(using: &random) { body["code"] = "PIX" }
        if Bool.random(using: &random) { body["chartOfAccountsGroupName"] = texts.randomElement(using: &random)! }
        if Bool.random(using: &random) { body["metadata"] = metadata(&random) }
        if Bool.random(using: &random) { body["pending"] = Bool.random(using: &random) }
        if Bool.random(using: &random) { body["pendingExpiresAt"] = "2026-12-06T10:00:00Z" }
        return try JSONDecoder().decode(TransactionBody.self, from: try JSONSerialization.data(withJSONObject: body))
    }
}

extension PostingEngine.Outcome {
    fileprivate var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
