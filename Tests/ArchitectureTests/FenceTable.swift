import Foundation

/// The fence table of `docs/ARCHITECTURE.md`: for each target, what it may import.
///
/// The table lives between `<!-- fence-table:begin -->` and `<!-- fence-table:end -->`, so the
/// prose around it can change freely while the table itself is parsed strictly: a malformed
/// table must fail loudly rather than quietly fence nothing.
struct FenceTable: Equatable, Sendable {
    struct Fence: Equatable, Sendable {
        var projectTargets: Set<String>
        var outsideModules: Set<String>
        /// The row's line in the markdown document, so violations about the row can point at it.
        var line: Int
    }

    struct ParseError: Error, Equatable, CustomStringConvertible {
        var line: Int?
        var message: String

        var description: String {
            line.map { "fence table, line \($0): \(message)" } ?? "fence table: \(message)"
        }
    }

    static let beginMarker = "<!-- fence-table:begin -->"
    static let endMarker = "<!-- fence-table:end -->"
    static let header = ["Target", "Project targets it may import", "Outside modules it may import"]
    static let none = "—"

    var fences: [String: Fence]

    init(fences: [String: Fence]) {
        self.fences = fences
    }

    init(markdown: String) throws(ParseError) {
        let lines = markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: Self.beginMarker) else {
            throw ParseError(line: nil, message: "no \(Self.beginMarker) line")
        }
        guard let end = lines[begin...].firstIndex(of: Self.endMarker) else {
            throw ParseError(line: nil, message: "no \(Self.endMarker) line after \(Self.beginMarker)")
        }

        var rows: [(line: Int, cells: [String])] = []
        for index in (begin + 1)..<end where !lines[index].isEmpty {
            let line = index + 1
            guard let cells = Self.cells(of: lines[index]) else {
                throw ParseError(line: line, message: "expected a table row between '|'s, found \"\(lines[index])\"")
            }
            guard cells.count == Self.header.count else {
                throw ParseError(line: line, message: "expected \(Self.header.count) cells, found \(cells.count)")
            }
            rows.append((line, cells))
        }
        guard rows.count >= 2 else {
            throw ParseError(line: begin + 1, message: "the table needs a header row and a separator row")
        }
        guard rows[0].cells == Self.header else {
            let expected = "| " + Self.header.joined(separator: " | ") + " |"
            throw ParseError(line: rows[0].line, message: "the header row must be \(expected)")
        }
        guard rows[1].cells.allSatisfy(Self.isSeparator) else {
            throw ParseError(line: rows[1].line, message: "the second row must be the |---|---|---| separator")
        }

        var fences: [String: Fence] = [:]
        for (line, cells) in rows.dropFirst(2) {
            let target = cells[0]
            guard Self.isName(target) else {
                throw ParseError(line: line, message: "\"\(target)\" is not a target name")
            }
            guard fences[target] == nil else {
                throw ParseError(line: line, message: "a second row for \(target)")
            }
            fences[target] = Fence(
                projectTargets: try Self.names(in: cells[1], line: line),
                outsideModules: try Self.names(in: cells[2], line: line),
                line: line
            )
        }
        self.fences = fences
    }

    private static func cells(of line: String) -> [String]? {
        guard line.count >= 2, line.hasPrefix("|"), line.hasSuffix("|") else { return nil }
        return line.dropFirst().dropLast()
            .split(separator: "|", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private static func isSeparator(_ cell: String) -> Bool {
        cell.contains("-") && cell.allSatisfy { $0 == "-" || $0 == ":" }
    }

    private static func names(in cell: String, line: Int) throws(ParseError) -> Set<String> {
        if cell == none { return [] }
        let names = cell.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.allSatisfy(isName) else {
            throw ParseError(line: line, message: "\"\(cell)\" is neither \(none) nor a comma-separated list of module names")
        }
        return Set(names)
    }

    private static func isName(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
