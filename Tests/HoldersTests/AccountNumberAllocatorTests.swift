import Holders
import StrongroomKernel
import Testing

/// Allocation hands out only numbers that pass, skips exactly those that fail, and gives up
/// within its bound instead of looping.
@Suite("Account number allocation")
struct AccountNumberAllocatorTests {
    static let checker = Result { try ModulusChecker.embedded() }

    /// Sort codes under plain MOD10, MOD11 and DBLAL rows, and under exceptions 2 & 9, 5
    /// (with a substitution), 6, 10 & 11, 12 & 13 and 14.
    static let sortCodes = ["089999", "107999", "202959", "309070", "938600", "200915", "871427", "074456", "180002", "118765"]

    @Test("numbers taken in order all pass, and every number skipped fails", arguments: Self.sortCodes)
    func sequential(_ text: String) throws {
        let checker = try Self.checker.get()
        let sortCode = try #require(SortCode(text))
        let allocator = try AccountNumberAllocator(checker: checker, sortCode: sortCode)
        var start = 12_345_670
        for _ in 0..<40 {
            let number = try allocator.first(from: start)
            #expect(checker.check(sortCode, number) == .valid, "\(text) \(number)")
            for skipped in start..<number.value {
                let candidate = try #require(UKAccountNumber(value: skipped))
                #expect(checker.check(sortCode, candidate) == .invalid(.modulus), "\(text) \(candidate) was skipped")
            }
            start = number.value + 1
        }
    }

    @Test("numbers drawn from a seed all pass, and the same seed draws the same numbers", arguments: Self.sortCodes)
    func seeded(_ text: String) throws {
        let checker = try Self.checker.get()
        let sortCode = try #require(SortCode(text))
        let allocator = try AccountNumberAllocator(checker: checker, sortCode: sortCode)
        let numbers = try allocator.random(count: 200, seed: 29)
        #expect(numbers.count == 200)
        #expect(numbers.allSatisfy { checker.check(sortCode, $0) == .valid })
        #expect(Set(numbers).count > 150, "draws spread over the whole range")
        #expect(try allocator.random(count: 200, seed: 29) == numbers)
        var generator = SplitMix64(seed: 30)
        #expect(checker.check(sortCode, try allocator.random(using: &generator)) == .valid)
    }

    @Test("a sort code no row covers is refused at once")
    func unknownSortCode() throws {
        let sortCode = try #require(SortCode("000000"))
        #expect(throws: AccountNumberAllocationError.unknownSortCode(sortCode)) {
            try AccountNumberAllocator(checker: try Self.checker.get(), sortCode: sortCode)
        }
    }

    @Test("a search is bounded: a sort code whose numbers never pass ends in an error")
    func bounded() throws {
        // Exception 1 adds 27 to a double alternate sum that zero weights keep at 0: no
        // number can ever leave no remainder.
        let weights = try ModulusWeightTable(parsing: Array("123456 123456 DBLAL 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\r\n".utf8))
        let substitutions = try SortCodeSubstitutionTable(parsing: Array("938173 938017\r\n".utf8))
        let checker = ModulusChecker(weights: weights, substitutions: substitutions)
        let sortCode = try #require(SortCode("123456"))
        let allocator = try AccountNumberAllocator(checker: checker, sortCode: sortCode)
        #expect(throws: AccountNumberAllocationError.noPassingNumber(sortCode: sortCode, attempts: AccountNumberAllocator.defaultAttemptLimit)) {
            try allocator.first(from: 0)
        }
        var generator = SplitMix64(seed: 1)
        #expect(throws: AccountNumberAllocationError.noPassingNumber(sortCode: sortCode, attempts: AccountNumberAllocator.defaultAttemptLimit)) {
            try allocator.random(using: &generator)
        }
        // Near the top of the range the search stops at 99999999.
        #expect(throws: AccountNumberAllocationError.noPassingNumber(sortCode: sortCode, attempts: 3)) {
            try allocator.first(from: 99_999_997)
        }
    }

    @Test("the start must be an account number, and the limit is held within its range")
    func limits() throws {
        let checker = try Self.checker.get()
        let sortCode = try #require(SortCode("089999"))
        let allocator = try AccountNumberAllocator(checker: checker, sortCode: sortCode, attemptLimit: .max)
        #expect(allocator.attemptLimit == 100_000_000)
        #expect(throws: AccountNumberAllocationError.startOutOfRange(-1)) { try allocator.first(from: -1) }
        #expect(throws: AccountNumberAllocationError.startOutOfRange(100_000_000)) { try allocator.first(from: 100_000_000) }
        #expect(try allocator.first(from: 0).value > 0, "00000000 is never handed out")
        let once = try AccountNumberAllocator(checker: checker, sortCode: sortCode, attemptLimit: 0)
        #expect(once.attemptLimit == 1)
    }
}
