/// Vocalink's sort code substitution table (`scsubtab.txt`): for the rows with exception 5,
/// the sort code to check with in place of the one given. Each line holds the original sort
/// code and its substitute.
public struct SortCodeSubstitutionTable: Equatable, Sendable {
    public let substitutes: [SortCode: SortCode]

    /// Parses the table from the file's bytes (CRLF or LF line endings). A line that is not
    /// two six-digit sort codes, or names an original a second time, is an error naming it.
    public init(parsing bytes: some Collection<UInt8>) throws(ModulusTableError) {
        let table = ModulusTableError.Table.substitutions
        var substitutes: [SortCode: SortCode] = [:]
        var lineOf: [SortCode: Int] = [:]
        for line in try TableText.lines(of: bytes, table: table) {
            guard line.fields.count == 2 else {
                throw ModulusTableError(table: table, line: line.number, problem: "expected 2 fields (a sort code and its substitute), found \(line.fields.count)")
            }
            let original = try TableText.sortCode(line.fields[0], "the original sort code", line: line, table: table)
            let substitute = try TableText.sortCode(line.fields[1], "the substitute sort code", line: line, table: table)
            if let earlier = lineOf[original] {
                throw ModulusTableError(table: table, line: line.number, problem: "sort code \(original) is substituted already on line \(earlier)")
            }
            substitutes[original] = substitute
            lineOf[original] = line.number
        }
        self.substitutes = substitutes
    }

    /// The sort code to check with in place of `sortCode`, if the table names one.
    public func substitute(for sortCode: SortCode) -> SortCode? {
        substitutes[sortCode]
    }
}
