import StrongroomKernel
import Testing

/// Time arithmetic never traps: whole seconds round towards the past at every instant, and
/// adding saturates at the ends of the range.
@Suite("Timestamp")
struct TimestampTests {
    @Test func wholeSecondsRoundTowardsThePastEverywhere() {
        let cases: [(micros: Int64, seconds: Int64)] = [
            (0, 0), (999_999, 0), (1_000_000, 1), (-1, -1), (-1_000_000, -1), (-1_000_001, -2),
            (Int64.max, Int64.max / 1_000_000), (Int64.min, Int64.min / 1_000_000 - 1), (Int64.min + 1, Int64.min / 1_000_000 - 1),
        ]
        for (micros, seconds) in cases {
            #expect(Timestamp(microsecondsSinceEpoch: micros).secondsSinceEpoch == seconds, "\(micros)")
        }
    }

    @Test func addingSaturatesInsteadOfTrapping() {
        let now = Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000)
        #expect(now.adding(seconds: 60).microsecondsSinceEpoch == 1_795_000_060_000_000)
        #expect(now.adding(seconds: .max).microsecondsSinceEpoch == .max)
        #expect(now.adding(seconds: .min).microsecondsSinceEpoch == .min)
        #expect(now.adding(seconds: Int64.max / 1_000_000).microsecondsSinceEpoch == .max)
        #expect(now.adding(microseconds: .max).microsecondsSinceEpoch == .max)
        #expect(Timestamp(microsecondsSinceEpoch: .min).adding(microseconds: -1).microsecondsSinceEpoch == .min)
        #expect(Timestamp(microsecondsSinceEpoch: .min).adding(seconds: 1).microsecondsSinceEpoch == .min + 1_000_000)
    }
}
