import Crypto
import Foundation
import Holders
import Testing

/// The embedded tables are Vocalink's bytes (their sha256 is the one recorded beside them),
/// parse whole, and a table that does not parse names the line at fault.
@Suite("Modulus tables")
struct ModulusTableTests {
    /// `Sources/Holders/Resources/README.md`, where the tables' sha256 are recorded.
    static func resourcesReadme() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appending(path: "Sources/Holders/Resources/README.md"), encoding: .utf8)
    }

    /// The sha256 the README's table records for `file`.
    static func recordedHash(of file: String, in readme: String) -> String? {
        let row = readme.split(separator: "\n").first { $0.hasPrefix("| \(file) |") }
        return row?.split(separator: "|").last.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test("the embedded tables hash to the sha256 recorded beside them")
    func hashesMatchTheRecord() throws {
        let readme = try Self.resourcesReadme()
        let weights = try #require(Self.recordedHash(of: "valacdos.txt", in: readme))
        let substitutions = try #require(Self.recordedHash(of: "scsubtab.txt", in: readme))
        #expect(weights == "408987ecb50c22e9aaa455cdf5d06e720a043d4a7e8f65db04a02fbc09070eb2")
        #expect(substitutions == "bef5bc70f4f7486f23d38aec43f79ff6014e61d2e9b0895b441d2933004ca087")
        #expect(Self.sha256(VocalinkTables.weightTable) == weights)
        #expect(Self.sha256(VocalinkTables.substitutionTable) == substitutions)
        #expect(readme.contains("version 9.10") && VocalinkTables.specificationVersion == "9.10")
        #expect(readme.contains("17 October 2026") && VocalinkTables.validFrom == "2026-10-17")
    }

    @Test("the embedded tables keep Vocalink's CRLF endings and parse whole")
    func embeddedTablesParse() throws {
        #expect(VocalinkTables.weightTable.suffix(2) == Array("\r\n".utf8))
        let weights = try ModulusWeightTable(parsing: VocalinkTables.weightTable)
        let substitutions = try SortCodeSubstitutionTable(parsing: VocalinkTables.substitutionTable)
        #expect(weights.rows.count == 1_170)
        #expect(substitutions.substitutes.count == 21)
        let first = try #require(weights.rows.first)
        #expect(first.first.description == "010004" && first.last.description == "016715")
        #expect(first.method == .mod11 && first.exception == nil && first.line == 1)
        #expect(first.weights == [0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1])
        let coutts = try #require(SortCode("180002"))
        #expect(weights.rows(covering: coutts).map(\.exception) == [14])
        #expect(substitutions.substitute(for: try #require(SortCode("938600")))?.description == "938611")
    }

    @Test("LF endings and a missing final line break read the same as CRLF")
    func lineEndings() throws {
        let weights = try ModulusWeightTable(parsing: VocalinkTables.weightTable)
        let lf = VocalinkTables.weightTable.filter { $0 != UInt8(ascii: "\r") }
        #expect(lf.count == VocalinkTables.weightTable.count - 1_170)
        #expect(try ModulusWeightTable(parsing: lf) == weights)
        #expect(try ModulusWeightTable(parsing: lf.dropLast()) == weights)
        let substitutions = try SortCodeSubstitutionTable(parsing: VocalinkTables.substitutionTable)
        let substitutionsLF = VocalinkTables.substitutionTable.filter { $0 != UInt8(ascii: "\r") }
        #expect(try SortCodeSubstitutionTable(parsing: substitutionsLF.dropLast()) == substitutions)
    }

    /// The embedded table's bytes with line `number` (from 1) replaced by `text`.
    static func replacing(line number: Int, in bytes: [UInt8], with text: String) -> [UInt8] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        lines[number - 1] = Array(text.utf8) + [UInt8(ascii: "\r")]
        return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }

    struct Corruption: Sendable, CustomTestStringConvertible {
        var line: Int
        var text: String
        var problem: String
        var testDescription: String { problem }
    }

    static let weightCorruptions: [Corruption] = [
        .init(line: 3, text: "040004 040004 DBLAL    0    0    0    0    0    0    8    7    6    5    4    3    2    x", problem: "weight 14 is not an integer within ±999"),
        .init(line: 500, text: "500000 500000 MOD12    0    0    0    0    0    0    8    7    6    5    4    3    2    1", problem: "the method is not MOD10, MOD11 or DBLAL"),
        .init(line: 2, text: "040003 040003 DBLAL    2    1    2    1    2    1    8    7    6    5    4    3    2", problem: "expected 17 fields (two sort codes, a method, 14 weights) and an optional exception, found 16"),
        .init(line: 1_170, text: "990000 990000 MOD11    0    0    0    0    0    0    8    7    6    5    4    3    2    1   15", problem: "the exception is not a number within 1...14"),
        .init(line: 7, text: "040010 040009 MOD11    0    0    0    0    0    0    8    7    6    5    4    3    2    1", problem: "the range ends (040009) before it starts (040010)"),
        .init(line: 8, text: "04001 040010 MOD11    0    0    0    0    0    0    8    7    6    5    4    3    2    1", problem: "the range's first sort code is not six digits"),
        .init(line: 9, text: "040011 04\r0011 MOD11    0    0    0    0    0    0    8    7    6    5    4    3    2    1", problem: "the range's last sort code is not six digits"),
        .init(line: 10, text: "", problem: "a blank line"),
    ]

    @Test("a corrupted weight table is refused, naming the line", arguments: Self.weightCorruptions)
    func corruptedWeightTable(_ corruption: Corruption) {
        let bytes = Self.replacing(line: corruption.line, in: VocalinkTables.weightTable, with: corruption.text)
        #expect(throws: ModulusTableError(table: .weights, line: corruption.line, problem: corruption.problem)) {
            try ModulusWeightTable(parsing: bytes)
        }
    }

    @Test("a third row covering a sort code is refused, naming its line")
    func thirdRow() throws {
        let two = """
            010004 016715 MOD11    0    0    0    0    0    0    8    7    6    5    4    3    2    1
            010004 016715 DBLAL    2    1    2    1    2    1    8    7    6    5    4    3    2    1

            """
        let three = two + "016700 016800 MOD11    0    0    0    0    0    0    8    7    6    5    4    3    2    1\n"
        #expect(try ModulusWeightTable(parsing: Array(two.utf8)).rows.count == 2)
        #expect(throws: ModulusTableError(table: .weights, line: 3, problem: "a third row covering sort code 016700; the specification allows two")) {
            try ModulusWeightTable(parsing: Array(three.utf8))
        }
    }

    @Test("an empty table is refused")
    func emptyTables() {
        for bytes in [[], Array("\r\n".utf8), Array("\n".utf8)] as [[UInt8]] {
            #expect(throws: ModulusTableError(table: .weights, line: 1, problem: "the table is empty")) { try ModulusWeightTable(parsing: bytes) }
            #expect(throws: ModulusTableError(table: .substitutions, line: 1, problem: "the table is empty")) {
                try SortCodeSubstitutionTable(parsing: bytes)
            }
        }
    }

    @Test("a corrupted substitution table is refused, naming the line", arguments: [
        Corruption(line: 5, text: "938602 938343 938344", problem: "expected 2 fields (a sort code and its substitute), found 3"),
        Corruption(line: 6, text: "93860 938603", problem: "the original sort code is not six digits"),
        Corruption(line: 21, text: "938654 93862l", problem: "the substitute sort code is not six digits"),
        Corruption(line: 2, text: "938173 938068", problem: "sort code 938173 is substituted already on line 1"),
    ])
    func corruptedSubstitutionTable(_ corruption: Corruption) {
        let bytes = Self.replacing(line: corruption.line, in: VocalinkTables.substitutionTable, with: corruption.text)
        #expect(throws: ModulusTableError(table: .substitutions, line: corruption.line, problem: corruption.problem)) {
            try SortCodeSubstitutionTable(parsing: bytes)
        }
    }

    @Test("the error says which table and which line")
    func errorDescription() {
        let error = ModulusTableError(table: .weights, line: 12, problem: "a blank line")
        #expect(error.description == "weight table, line 12: a blank line")
    }
}
