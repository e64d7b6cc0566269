import StrongroomKernel
import Testing

@testable import StrongroomBench

@Suite("Pair sampler")
struct PairSamplerTests {
    @Test(arguments: [nil, 1.0, 2.0] as [Double?])
    func aPairNeverNamesOneAccountTwice(zipf: Double?) {
        let sampler = PairSampler(count: 2, zipf: zipf)
        var random = SplitMix64(seed: 7)
        for _ in 0..<10_000 {
            let (source, destination) = sampler.pair(using: &random)
            #expect(source != destination)
            #expect((0..<2).contains(source) && (0..<2).contains(destination))
        }
    }

    @Test func uniformDrawsSpreadEvenly() {
        let sampler = PairSampler(count: 10, zipf: nil)
        var random = SplitMix64(seed: 1)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[sampler.draw(using: &random)] += 1 }
        // Each of ten accounts near 10,000: far outside ±5 % would be a broken draw.
        #expect(counts.allSatisfy { (9_500...10_500).contains($0) }, "\(counts)")
    }

    @Test func zipfTwoConcentratesOnTheHottestAccounts() {
        // With exponent 2 over 10,000 ranks, rank 0 has probability 1/H(10000, 2) ≈ 0.608 and
        // rank 1 a quarter of that.
        let sampler = PairSampler(count: 10_000, zipf: 2)
        var random = SplitMix64(seed: 3)
        var counts = [Int: Int]()
        let draws = 200_000
        for _ in 0..<draws { counts[sampler.draw(using: &random), default: 0] += 1 }
        let top = Double(counts[0] ?? 0) / Double(draws)
        let second = Double(counts[1] ?? 0) / Double(draws)
        #expect(abs(top - 0.608) < 0.01, "rank 0 drew \(top)")
        #expect(abs(second - 0.152) < 0.01, "rank 1 drew \(second)")
    }

    @Test func aSeedRepeatsItsDraws() {
        let sampler = PairSampler(count: 1000, zipf: 1.2)
        var a = SplitMix64(seed: 42)
        var b = SplitMix64(seed: 42)
        for _ in 0..<1000 { #expect(sampler.pair(using: &a) == sampler.pair(using: &b)) }
    }
}
