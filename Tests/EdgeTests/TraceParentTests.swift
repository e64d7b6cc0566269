import HTTPTypes
import StrongroomEdge
import StrongroomKernel
import Testing

/// `traceparent` as W3C Trace Context defines it: the valid forms read, everything else
/// ignored, and no text at all makes the parser trap.
@Suite("traceparent")
struct TraceParentTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func theRecommendationsExampleReads() throws {
        let parsed = try #require(TraceParent.parse(Self.valid))
        #expect(parsed.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parsed.parentID == "00f067aa0ba902b7")
        #expect(parsed.flags == 1)
        #expect(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-fe")?.flags == 0xFE)
        // A later version may add fields after a dash; its first four are read the same.
        #expect(TraceParent.parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next")?.traceID == parsed.traceID)
    }

    @Test(arguments: [
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // version 00 has nothing after the flags
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // an all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // an all-zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // the forbidden version
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // a later version's rest without its dash
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // one digit short
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
        " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ])
    func anythingElseIsIgnored(_ value: String) {
        #expect(TraceParent.parse(value) == nil)
    }

    @Test func twoHeadersAreNoTraceAtAll() {
        var fields = HTTPFields()
        fields.append(HTTPField(name: .traceparent, value: Self.valid))
        #expect(TraceParent.of(fields)?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        fields.append(HTTPField(name: .traceparent, value: Self.valid))
        #expect(TraceParent.of(fields) == nil)
    }

    /// Random text near the valid form (each byte of the example replaced, cut or doubled at
    /// random, and any scalar at all) never traps, and what reads is well formed.
    @Test func noTextTrapsTheParser() {
        var random = SplitMix64(seed: 0x7472_6163_6570_6172)
        let example = Array(Self.valid.unicodeScalars)
        let alphabet = Array("0123456789abcdefABCDEF-_ \u{0}é\u{1F600}".unicodeScalars)
        for _ in 0..<20_000 {
            var scalars = example
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                let index = Int.random(in: 0..<scalars.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: scalars[index] = alphabet.randomElement(using: &random)!
                case 1: scalars.remove(at: index)
                default: scalars.insert(alphabet.randomElement(using: &random)!, at: index)
                }
                if scalars.isEmpty { break }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            if let parsed = TraceParent.parse(String(text)) {
                #expect(parsed.traceID.utf8.count == 32 && parsed.parentID.utf8.count == 16)
                #expect(parsed.traceID.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            }
        }
        #expect(TraceParent.parse(String(repeating: "0", count: 1 << 20)) == nil)
    }

    @Test func generatedIdsAreWellFormedAndDistinct() {
        var seen: Set<String> = []
        for _ in 0..<10_000 {
            let trace = TraceIDs.traceID()
            let span = TraceIDs.spanID()
            #expect(TraceParent.parse("00-\(trace)-\(span)-00") != nil)
            seen.insert(trace)
        }
        #expect(seen.count == 10_000)
    }

    /// Which new traces are recorded: never at 0, always at 1, and near the asked share in
    /// between (100,000 draws: a binomial's standard deviation at 10 % is under 0.1 %, so
    /// 0.5 % is five of them).
    @Test func theSamplingDrawKeepsItsShare() {
        #expect(!(0..<10_000).contains { _ in TraceIDs.draw(probability: 0) })
        #expect((0..<10_000).allSatisfy { _ in TraceIDs.draw(probability: 1) })
        for share in [0.01, 0.1, 0.5] {
            let drawn = (0..<100_000).count { _ in TraceIDs.draw(probability: share) }
            #expect(abs(Double(drawn) / 100_000 - share) < 0.005, "\(share): \(drawn)")
        }
    }

    @Test func theSampledFlagIsBitZero() throws {
        let sampled = try #require(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        let notSampled = try #require(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02"))
        #expect(sampled.isSampled)
        #expect(!notSampled.isSampled)
    }
}
