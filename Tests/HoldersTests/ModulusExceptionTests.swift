import Holders
import Testing

/// What the vectors cannot tell apart: under vector 18's row (086090, exception 8), the
/// sort codes 086090 and 090126 weigh the same, so dropping the substitution passes it too.
/// A table of the test's own, with every weight 1, tells them apart.
@Suite("Modulus exceptions the vectors cannot see")
struct ModulusExceptionTests {
    static func checker(row: String) throws -> ModulusChecker {
        ModulusChecker(
            weights: try ModulusWeightTable(parsing: Array(row.utf8)),
            substitutions: try SortCodeSubstitutionTable(parsing: Array("938173 938017\n".utf8))
        )
    }

    @Test("exception 8 checks with sort code 090126 in place of the one given")
    func exception8() throws {
        let checker = try Self.checker(row: "086090 086090 MOD10 1 1 1 1 1 1 1 1 1 1 1 1 1 1 8\n")
        // 0+9+0+1+2+6 = 18, and the account's digits add 2: 20 leaves no remainder. With
        // 086090 itself (23) the sum would be 25.
        #expect(checker.check(sortCode: "086090", accountNumber: "00000002") == .valid)
        #expect(checker.check(sortCode: "086090", accountNumber: "00000007") == .invalid(.modulus))
    }
}
