/// Vocalink's "Validating account numbers" check of a sort code and an eight-digit account
/// number, over a weight table and a substitution table held as data.
///
/// The fourteen digits checked are the sort code's six then the account number's eight,
/// named u v w x y z a b c d e f g h as in the specification. Each row covering the sort code
/// is one check; with two rows both must pass, except where the exceptions say otherwise.
/// The exceptions 1–14 are applied as the specification states them (the facts, with no
/// code carried over from elsewhere).
public struct ModulusChecker: Sendable {
    public let weights: ModulusWeightTable
    public let substitutions: SortCodeSubstitutionTable

    public init(weights: ModulusWeightTable, substitutions: SortCodeSubstitutionTable) {
        self.weights = weights
        self.substitutions = substitutions
    }

    /// A checker over tables given as file bytes, such as newer files an operator supplies.
    public init(weightTable: some Collection<UInt8>, substitutionTable: some Collection<UInt8>) throws(ModulusTableError) {
        self.init(
            weights: try ModulusWeightTable(parsing: weightTable),
            substitutions: try SortCodeSubstitutionTable(parsing: substitutionTable)
        )
    }

    /// The checker over the tables compiled into the binary (`VocalinkTables`). It cannot
    /// fail on those bytes (a test parses them); it throws rather than trap all the same.
    public static func embedded() throws(ModulusTableError) -> ModulusChecker {
        try ModulusChecker(weightTable: VocalinkTables.weightTable, substitutionTable: VocalinkTables.substitutionTable)
    }

    /// Checks details as a client sent them: any text at all is answered, never trapped on.
    public func check(sortCode: String, accountNumber: String) -> ModulusCheckResult {
        guard let code = SortCode(sortCode) else { return .invalid(.format(.sortCode)) }
        guard let number = UKAccountNumber(accountNumber) else { return .invalid(.format(.accountNumber)) }
        return check(code, number)
    }

    public func check(_ sortCode: SortCode, _ accountNumber: UKAccountNumber) -> ModulusCheckResult {
        let rows = weights.rows(covering: sortCode)
        guard !rows.isEmpty else { return .invalid(.unknownSortCode) }
        return passes(rows: rows, digits: sortCode.digits + accountNumber.digits) ? .valid : .invalid(.modulus)
    }

    // MARK: The algorithm

    /// Positions in the fourteen digits, named as the specification names them.
    enum Position {
        static let a = 6, b = 7, c = 8, g = 12, h = 13
        /// u to b: the sort code and the account number's first two digits.
        static let uThroughB = 0..<8
        static let sortCode = 0..<6
    }

    /// Exception 2's weights when a is not 0 and g is not 9.
    static let exception2Weights = [0, 0, 1, 2, 5, 3, 6, 4, 8, 7, 10, 9, 3, 1]
    /// Exception 2's weights when a is not 0 and g is 9.
    static let exception2WeightsWhenGIsNine = [0, 0, 0, 0, 0, 0, 0, 0, 8, 7, 10, 9, 3, 1]
    /// Exception 8 checks with this sort code.
    static let exception8SortCode = [0, 9, 0, 1, 2, 6]
    /// Exception 9 (the euro accounts of exception 2's sort codes) checks with this one.
    static let exception9SortCode = [3, 0, 9, 6, 3, 4]

    /// The rows' checks combined: `rows` holds one or two rows, in the table's order.
    func passes(rows: [ModulusWeightTable.Row], digits: [Int]) -> Bool {
        guard let first = rows.first, digits.count == 14 else { return false }
        let second = rows.dropFirst().first
        // Exception 6: a foreign currency account (a is 4 to 8 and g equals h) cannot be
        // checked, and is taken as valid.
        if rows.contains(where: { $0.exception == 6 }),
           (4...8).contains(digits[Position.a]), digits[Position.g] == digits[Position.h] {
            return true
        }
        let firstPasses = passes(first, digits: digits)
        guard let second else { return firstPasses }
        switch (first.exception, second.exception) {
        case (2, 9):
            // A sterling account passes the first check; a euro account quoted with its
            // sterling sort code passes the second, made with sort code 309634.
            if firstPasses { return true }
            var euro = digits
            euro.replaceSubrange(Position.sortCode, with: Self.exception9SortCode)
            return passes(second, digits: euro)
        case (10, 11), (12, 13):
            // Either check passing is enough.
            return firstPasses || passes(second, digits: digits)
        default:
            return firstPasses && passes(second, digits: digits)
        }
    }

    /// One row's check, with the row's own exception applied.
    func passes(_ row: ModulusWeightTable.Row, digits original: [Int]) -> Bool {
        var digits = original
        var weights = row.weights
        let a = digits[Position.a], b = digits[Position.b], c = digits[Position.c], g = digits[Position.g]
        switch row.exception {
        case 2 where a != 0:
            weights = g == 9 ? Self.exception2WeightsWhenGIsNine : Self.exception2Weights
        case 3 where c == 6 || c == 9:
            // The row's check is not needed for these account numbers.
            return true
        case 5:
            if let substitute = substitutions.substitute(for: SortCode(checkedDigits: Array(digits[Position.sortCode]))) {
                digits.replaceSubrange(Position.sortCode, with: substitute.digits)
            }
        case 7 where g == 9:
            for index in Position.uThroughB { weights[index] = 0 }
        case 10 where (a == 0 || a == 9) && b == 9 && g == 9:
            // ab is 09 or 99 and g is 9.
            for index in Position.uThroughB { weights[index] = 0 }
        case 8:
            digits.replaceSubrange(Position.sortCode, with: Self.exception8SortCode)
        default:
            break
        }
        if Self.standardPasses(row, digits: digits, weights: weights) { return true }
        // Exception 14: a Coutts account whose last digit is 0, 1 or 9 is checked again
        // without it, its other digits shifted right behind a 0.
        guard row.exception == 14, [0, 1, 9].contains(digits[Position.h]) else { return false }
        var shifted = digits
        shifted.replaceSubrange(Position.a...Position.h, with: [0] + digits[Position.a..<Position.h])
        return Self.standardPasses(row, digits: shifted, weights: weights)
    }

    /// The sum of the products and its test, with exceptions 1, 4 and 5's rules for it.
    static func standardPasses(_ row: ModulusWeightTable.Row, digits: [Int], weights: [Int]) -> Bool {
        var total = 0
        for (digit, weight) in zip(digits, weights) {
            let product = digit * weight
            total += row.method == .doubleAlternate ? digitSum(product) : product
        }
        // Exception 1: 27 is added to the double alternate sum.
        if row.exception == 1 { total += 27 }
        let g = digits[Position.g], h = digits[Position.h]
        switch (row.method, row.exception) {
        case (.mod11, 4):
            // The remainder is the check digits gh themselves.
            return remainder(total, 11) == g * 10 + h
        case (.mod11, 5):
            // g is the check digit: 11 less the remainder, or 0 for no remainder; a
            // remainder of 1 gives no digit and so no valid number.
            let rest = remainder(total, 11)
            return rest == 0 ? g == 0 : rest != 1 && 11 - rest == g
        case (.doubleAlternate, 5):
            // h is the check digit: 10 less the remainder, or 0 for no remainder.
            let rest = remainder(total, 10)
            return rest == 0 ? h == 0 : 10 - rest == h
        case (.mod11, _):
            return remainder(total, 11) == 0
        case (.mod10, _), (.doubleAlternate, _):
            return remainder(total, 10) == 0
        }
    }

    /// The sum of a product's decimal digits (16 gives 7), negative for a negative product.
    static func digitSum(_ product: Int) -> Int {
        var rest = product.magnitude
        var sum: UInt = 0
        while rest > 0 {
            sum += rest % 10
            rest /= 10
        }
        let value = Int(truncatingIfNeeded: sum)
        return product < 0 ? -value : value
    }

    /// The remainder in 0..<modulus, also for a negative total (some weights are -1).
    static func remainder(_ total: Int, _ modulus: Int) -> Int {
        ((total % modulus) + modulus) % modulus
    }
}
