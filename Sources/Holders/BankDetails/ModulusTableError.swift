/// Why a modulus table did not parse, naming the table and the line (counted from 1), so an
/// operator pointing the server at a newer file learns exactly what to fix.
public struct ModulusTableError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Table: String, Sendable {
        case weights = "weight table"
        case substitutions = "sort code substitution table"
    }

    public let table: Table
    public let line: Int
    public let problem: String

    public init(table: Table, line: Int, problem: String) {
        self.table = table
        self.line = line
        self.problem = problem
    }

    public var description: String { "\(table.rawValue), line \(line): \(problem)" }
}
