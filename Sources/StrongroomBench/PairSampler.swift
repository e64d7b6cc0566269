import Foundation

/// Draws the (source, destination) account pairs of a load run: uniformly, or Zipf-skewed so
/// a few hot accounts take most of the traffic. A pair that draws one account twice is
/// redrawn, so every transfer moves money between two accounts.
public struct PairSampler: Sendable {
    /// Cumulative probabilities of ranks 0..<count (rank 0 hottest); nil when uniform.
    private let cumulative: [Double]?
    public let count: Int

    /// - Parameters:
    ///   - count: how many accounts (at least 2).
    ///   - zipf: the Zipf exponent; nil or 0 draws uniformly.
    public init(count: Int, zipf: Double?) {
        precondition(count >= 2, "a transfer needs two accounts")
        self.count = count
        guard let exponent = zipf, exponent > 0 else {
            cumulative = nil
            return
        }
        var weights = (1...count).map { 1 / pow(Double($0), exponent) }
        let total = weights.reduce(0, +)
        var running = 0.0
        for index in weights.indices {
            running += weights[index] / total
            weights[index] = running
        }
        weights[count - 1] = 1
        cumulative = weights
    }

    /// One account index.
    public func draw(using random: inout some RandomNumberGenerator) -> Int {
        guard let cumulative else { return Int.random(in: 0..<count, using: &random) }
        let u = Double.random(in: 0..<1, using: &random)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > u { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Two different account indices.
    public func pair(using random: inout some RandomNumberGenerator) -> (source: Int, destination: Int) {
        let source = draw(using: &random)
        var destination = draw(using: &random)
        while destination == source { destination = draw(using: &random) }
        return (source, destination)
    }
}
