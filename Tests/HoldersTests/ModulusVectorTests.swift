import Holders
import Testing

/// The 34 test cases of Vocalink's specification (`Fixtures/test-vectors.tsv`, a byte-identical
/// copy of the reference file), against the embedded tables. Together they cover every
/// exception, 1 to 14.
@Suite("Vocalink's test vectors")
struct ModulusVectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var sortCode: String
        var accountNumber: String
        var valid: Bool
        var note: String
        var testDescription: String { note }
    }

    /// The fixture's rows after the header, and the lines that did not read as a vector.
    static let fixture: (vectors: [Vector], unreadable: [String]) = {
        let text = String(decoding: PackageResources.test_vectors_tsv, as: UTF8.self)
        var vectors: [Vector] = []
        var unreadable: [String] = []
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 4, cells[2] == "valid" || cells[2] == "invalid" else {
                unreadable.append(String(line))
                continue
            }
            vectors.append(Vector(sortCode: cells[0], accountNumber: cells[1], valid: cells[2] == "valid", note: cells[3]))
        }
        return (vectors, unreadable)
    }()

    static let checker = Result { try ModulusChecker.embedded() }

    @Test("the fixture holds all 34 vectors, and every test number once")
    func fixtureIsWhole() {
        #expect(Self.fixture.unreadable == [])
        #expect(Self.fixture.vectors.count == 34)
        let numbers = Self.fixture.vectors.compactMap { vector in
            vector.note.split(separator: ":").first.flatMap { Int($0.dropFirst("spec test ".count)) }
        }
        #expect(numbers == Array(1...34))
    }

    @Test("each vector gets the specification's answer", arguments: Self.fixture.vectors)
    func vector(_ vector: Vector) throws {
        let checker = try Self.checker.get()
        let result = checker.check(sortCode: vector.sortCode, accountNumber: vector.accountNumber)
        #expect(result == (vector.valid ? .valid : .invalid(.modulus)), "\(vector.sortCode) \(vector.accountNumber)")
    }
}
