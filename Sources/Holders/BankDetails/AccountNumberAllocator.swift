import StrongroomKernel

/// Hands out account numbers for one configured sort code that pass its modulus check:
/// candidates are taken in order from a starting number, or drawn from a seeded generator,
/// and those that fail are skipped. Every search is bounded by `attemptLimit` candidates, so
/// a sort code no row covers, or one whose numbers (almost) never pass, is an error and
/// never an endless loop. Whether a number is already taken is the store's to say.
public struct AccountNumberAllocator: Sendable {
    /// Candidates tried before giving up. Under most rows about one number in ten or eleven
    /// passes, so this is far beyond what a checkable sort code needs.
    public static let defaultAttemptLimit = 10_000

    public let checker: ModulusChecker
    public let sortCode: SortCode
    public let attemptLimit: Int
    private let rows: [ModulusWeightTable.Row]

    /// Fails with `unknownSortCode` when no row of the checker's weight table covers
    /// `sortCode`: no number could ever pass. The limit is held within 1...100_000_000 (every
    /// eight-digit number once).
    public init(checker: ModulusChecker, sortCode: SortCode, attemptLimit: Int = Self.defaultAttemptLimit) throws(AccountNumberAllocationError) {
        let rows = checker.weights.rows(covering: sortCode)
        guard !rows.isEmpty else { throw .unknownSortCode(sortCode) }
        self.checker = checker
        self.sortCode = sortCode
        self.attemptLimit = min(max(1, attemptLimit), UKAccountNumber.maximumValue + 1)
        self.rows = rows
    }

    /// The first number at or after `start` that passes, trying at most `attemptLimit`
    /// candidates and none past 99999999. The next allocation starts after the answer.
    /// 00000000 is never handed out.
    public func first(from start: Int) throws(AccountNumberAllocationError) -> UKAccountNumber {
        guard (0...UKAccountNumber.maximumValue).contains(start) else { throw .startOutOfRange(start) }
        let end = min(UKAccountNumber.maximumValue, start + attemptLimit - 1)
        for value in max(1, start)...max(1, end) {
            if let candidate = UKAccountNumber(value: value), passes(candidate) { return candidate }
        }
        throw .noPassingNumber(sortCode: sortCode, attempts: end - start + 1)
    }

    /// A passing number drawn at random from 00000001...99999999, trying at most
    /// `attemptLimit` draws.
    public func random(using generator: inout some RandomNumberGenerator) throws(AccountNumberAllocationError) -> UKAccountNumber {
        for _ in 0..<attemptLimit {
            let value = Int.random(in: 1...UKAccountNumber.maximumValue, using: &generator)
            if let candidate = UKAccountNumber(value: value), passes(candidate) { return candidate }
        }
        throw .noPassingNumber(sortCode: sortCode, attempts: attemptLimit)
    }

    /// `count` passing numbers drawn from `seed`'s generator (`SplitMix64`): the same seed
    /// gives the same numbers. They may repeat; the store refuses a number already taken.
    public func random(count: Int, seed: UInt64) throws(AccountNumberAllocationError) -> [UKAccountNumber] {
        var generator = SplitMix64(seed: seed)
        var numbers: [UKAccountNumber] = []
        for _ in 0..<max(0, count) {
            numbers.append(try random(using: &generator))
        }
        return numbers
    }

    public func passes(_ accountNumber: UKAccountNumber) -> Bool {
        checker.passes(rows: rows, digits: sortCode.digits + accountNumber.digits)
    }
}
