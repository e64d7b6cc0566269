/// The lines of a modulus table and their fields. Vocalink's files end their lines with CRLF;
/// a copy with LF alone reads the same. Fields are separated by runs of spaces or tabs.
enum TableText {
    struct Line {
        /// Counted from 1, as an editor shows it.
        var number: Int
        var fields: [ArraySlice<UInt8>]
    }

    /// Every line of `bytes`, each split into its fields. The final line break is optional;
    /// an empty file or a blank line is an error, since a table has neither.
    static func lines(of bytes: some Collection<UInt8>, table: ModulusTableError.Table) throws(ModulusTableError) -> [Line] {
        var lines = Array(bytes).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        var result: [Line] = []
        result.reserveCapacity(lines.count)
        for (index, raw) in lines.enumerated() {
            var text = raw
            if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
            let fields = text.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            guard !fields.isEmpty else {
                throw ModulusTableError(table: table, line: index + 1, problem: index == 0 && lines.count == 1 ? "the table is empty" : "a blank line")
            }
            result.append(Line(number: index + 1, fields: fields))
        }
        return result
    }

    /// A six-digit sort code field, or an error naming what the field should have been.
    static func sortCode(_ field: ArraySlice<UInt8>, _ what: String, line: Line, table: ModulusTableError.Table) throws(ModulusTableError) -> SortCode {
        guard let digits = DigitString.digits(of: field, count: 6) else {
            throw ModulusTableError(table: table, line: line.number, problem: "\(what) is not six digits")
        }
        return SortCode(checkedDigits: digits)
    }
}
