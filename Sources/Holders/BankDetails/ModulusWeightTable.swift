/// Vocalink's weight table (`valacdos.txt`): for ranges of sort codes, how to check their
/// account numbers. A sort code is covered by one row or two; one no row covers cannot be
/// checked. Parsed from the file's bytes, so an operator can supply a newer table.
public struct ModulusWeightTable: Equatable, Sendable {
    /// One line of the table.
    public struct Row: Equatable, Sendable {
        /// The first and last sort codes of the range, both included.
        public let first: SortCode
        public let last: SortCode
        public let method: ModulusMethod
        /// Fourteen weights, for the sort code's six digits and the account number's eight
        /// (u v w x y z a b c d e f g h). Some are negative.
        public let weights: [Int]
        /// The specification's exception that changes how this row checks, 1...14, if any.
        public let exception: Int?
        /// The row's line in the file it came from.
        public let line: Int

        public func covers(_ sortCode: SortCode) -> Bool {
            (first.value...last.value).contains(sortCode.value)
        }
    }

    /// The exceptions the specification defines; a row naming another is refused, since
    /// this code would not know how to honour it.
    public static let knownExceptions = 1...14
    /// The widest weight accepted; Vocalink's weights are within -1...128.
    static let weightBound = 999

    public let rows: [Row]

    /// Parses the table from the file's bytes (CRLF or LF line endings). Each line holds the
    /// range's first and last sort codes, the method (`MOD10`, `MOD11` or `DBLAL`), fourteen
    /// integer weights and an optional exception number. Anything else is an error naming
    /// the line, as is a range ending before it starts or a sort code covered by a third row.
    public init(parsing bytes: some Collection<UInt8>) throws(ModulusTableError) {
        let table = ModulusTableError.Table.weights
        var rows: [Row] = []
        for line in try TableText.lines(of: bytes, table: table) {
            let fields = line.fields
            guard fields.count == 17 || fields.count == 18 else {
                throw ModulusTableError(
                    table: table, line: line.number,
                    problem: "expected 17 fields (two sort codes, a method, 14 weights) and an optional exception, found \(fields.count)"
                )
            }
            let first = try TableText.sortCode(fields[0], "the range's first sort code", line: line, table: table)
            let last = try TableText.sortCode(fields[1], "the range's last sort code", line: line, table: table)
            guard first <= last else {
                throw ModulusTableError(table: table, line: line.number, problem: "the range ends (\(last)) before it starts (\(first))")
            }
            guard let method = ModulusMethod(rawValue: String(decoding: fields[2], as: UTF8.self)) else {
                throw ModulusTableError(table: table, line: line.number, problem: "the method is not MOD10, MOD11 or DBLAL")
            }
            var weights: [Int] = []
            for (offset, field) in fields[3..<17].enumerated() {
                guard let weight = Self.integer(field), abs(weight) <= Self.weightBound else {
                    throw ModulusTableError(table: table, line: line.number, problem: "weight \(offset + 1) is not an integer within ±\(Self.weightBound)")
                }
                weights.append(weight)
            }
            var exception: Int?
            if fields.count == 18 {
                guard let number = Self.integer(fields[17]), Self.knownExceptions.contains(number) else {
                    throw ModulusTableError(table: table, line: line.number, problem: "the exception is not a number within 1...14")
                }
                exception = number
            }
            rows.append(Row(first: first, last: last, method: method, weights: weights, exception: exception, line: line.number))
        }
        try Self.refuseThirdRows(rows)
        self.rows = rows
    }

    /// The rows covering `sortCode`, in the table's order: none, one or two.
    public func rows(covering sortCode: SortCode) -> [Row] {
        rows.filter { $0.covers(sortCode) }
    }

    /// The specification checks a sort code against at most two rows. The most rows cover
    /// some sort code at the start of one of their ranges, so checking each start is enough.
    private static func refuseThirdRows(_ rows: [Row]) throws(ModulusTableError) {
        for row in rows {
            let covering = rows.filter { $0.covers(row.first) }
            if covering.count > 2 {
                throw ModulusTableError(
                    table: .weights, line: covering[2].line,
                    problem: "a third row covering sort code \(row.first); the specification allows two"
                )
            }
        }
    }

    /// An optionally negative integer of one to three ASCII digits.
    private static func integer(_ field: ArraySlice<UInt8>) -> Int? {
        var digits = field[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard (1...3).contains(digits.count) else { return nil }
        var value = 0
        for byte in digits {
            guard let digit = DigitString.digit(byte) else { return nil }
            value = value * 10 + digit
        }
        return negative ? -value : value
    }
}
