import LedgerCore
import StrongroomKernel
import Testing

@Suite("Leg resolution")
struct LegResolverTests {
    static func amount(_ text: String) -> Amount { try! Amount(parsing: text, scale: 2) }

    @Test func fixedAmountsMustAddUpExactly() throws {
        let legs = try LegResolver.resolve(value: Self.amount("100.00"), allocations: [.amount(Self.amount("60")), .amount(Self.amount("40"))], side: "source")
        #expect(legs.map(\.description) == ["60.00", "40.00"])
        #expect(throws: StrongroomError(.legsDoNotAddUp, "")) {
            try LegResolver.resolve(value: Self.amount("100"), allocations: [.amount(Self.amount("60")), .amount(Self.amount("39.99"))], side: "source")
        }
        #expect(throws: StrongroomError(.legsDoNotAddUp, "")) {
            try LegResolver.resolve(value: Self.amount("100"), allocations: [.amount(Self.amount("100.01"))], side: "destination")
        }
    }

    @Test func sharesRoundDownAndTheRemainderTakesTheRest() throws {
        let legs = try LegResolver.resolve(
            value: Self.amount("100.00"),
            allocations: [.share(percentage: 33, percentageOfPercentage: 100), .share(percentage: 33, percentageOfPercentage: 100), .remaining],
            side: "destination"
        )
        #expect(legs.map(\.description) == ["33.00", "33.00", "34.00"])
        let odd = try LegResolver.resolve(
            value: Self.amount("0.10"), allocations: [.share(percentage: 33, percentageOfPercentage: 100), .remaining], side: "destination"
        )
        #expect(odd.map(\.description) == ["0.03", "0.07"])
        let nested = try LegResolver.resolve(
            value: Self.amount("200.00"), allocations: [.share(percentage: 50, percentageOfPercentage: 50), .remaining], side: "source"
        )
        #expect(nested.map(\.description) == ["50.00", "150.00"])
    }

    @Test func sharesThatDoNotCoverTheValueWithoutARemainderAreRefused() {
        #expect(throws: StrongroomError(.legsDoNotAddUp, "")) {
            try LegResolver.resolve(
                value: Self.amount("0.10"),
                allocations: [.share(percentage: 50, percentageOfPercentage: 100), .share(percentage: 50, percentageOfPercentage: 100), .share(percentage: 10, percentageOfPercentage: 100)],
                side: "destination"
            )
        }
        #expect(throws: StrongroomError(.legsDoNotAddUp, "")) {
            try LegResolver.resolve(value: Self.amount("0.03"), allocations: [.share(percentage: 50, percentageOfPercentage: 100), .share(percentage: 50, percentageOfPercentage: 100)], side: "source")
        }
    }

    @Test func malformedSidesAreRefusedWithTheirCodes() {
        let hundred = Self.amount("100")
        #expect(throws: StrongroomError(.noLegs, "")) { try LegResolver.resolve(value: hundred, allocations: [], side: "source") }
        #expect(throws: StrongroomError(.invalidAmount, "")) {
            try LegResolver.resolve(value: Amount.zero(scale: 2), allocations: [.remaining], side: "source")
        }
        #expect(throws: StrongroomError(.invalidAmount, "")) {
            try LegResolver.resolve(value: hundred, allocations: [.amount(Self.amount("-1")), .remaining], side: "source")
        }
        #expect(throws: StrongroomError(.moreThanOneRemaining, "")) {
            try LegResolver.resolve(value: hundred, allocations: [.remaining, .remaining], side: "source")
        }
        #expect(throws: StrongroomError(.nothingRemaining, "")) {
            try LegResolver.resolve(value: hundred, allocations: [.amount(hundred), .remaining], side: "source")
        }
        for bad in [(0, 100), (101, 100), (50, 0), (-5, 100)] {
            #expect(throws: StrongroomError(.invalidShare, "")) {
                try LegResolver.resolve(value: hundred, allocations: [.share(percentage: bad.0, percentageOfPercentage: bad.1), .remaining], side: "source")
            }
        }
        #expect(throws: StrongroomError(.invalidShare, "")) {
            try LegResolver.resolve(value: Self.amount("0.01"), allocations: [.share(percentage: 1, percentageOfPercentage: 100), .remaining], side: "source")
        }
        #expect(throws: StrongroomError(.tooManyLegs, "")) {
            try LegResolver.resolve(value: hundred, allocations: Array(repeating: .remaining, count: LegResolver.maxLegsPerSide + 1), side: "source")
        }
    }

    @Test func anyAcceptedResolutionAddsUpToTheValue() throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            let value = try Amount(minorUnits: Int128(rng.next() % 1_000_000_000) + 1, scale: 2)
            var allocations: [Allocation] = []
            for _ in 0..<Int(rng.next() % 5) {
                allocations.append(.share(percentage: Int(rng.next() % 30) + 1, percentageOfPercentage: Int(rng.next() % 100) + 1))
            }
            allocations.insert(.remaining, at: Int(rng.next() % UInt64(allocations.count + 1)))
            guard let legs = try? LegResolver.resolve(value: value, allocations: allocations, side: "source") else { continue }
            let sum = try legs.reduce(Amount.zero(scale: 2)) { try $0.adding($1) }
            #expect(sum == value)
            let allPositive = legs.allSatisfy { $0.isPositive }
            #expect(allPositive)
        }
    }
}
