import Holders
import PropertyBased
import Testing

/// Sort codes and account numbers as clients send them: only exactly six (or eight) ASCII
/// digits are read as such; any other text answers the format reason and never traps.
@Suite("Bank details format")
struct BankDetailsFormatTests {
    static let checker = Result { try ModulusChecker.embedded() }

    @Test("malformed sort codes answer format", arguments: [
        "", "08999", "0899999", "08-99-99", "08 99 99", " 089999", "089999 ", "089999\n", "08999a",
        "０８９９９９", "٠٨٩٩٩٩", "08999٩", "08999\u{0}", "08999\u{1D7D7}", "08999" + "9\u{0301}", "-89999", "+89999",
        String(repeating: "9", count: 10_000),
    ])
    func malformedSortCode(_ text: String) throws {
        #expect(SortCode(text) == nil)
        #expect(try Self.checker.get().check(sortCode: text, accountNumber: "66374958") == .invalid(.format(.sortCode)))
    }

    @Test("malformed account numbers answer format", arguments: [
        "", "6637495", "663749589", "6637 4958", "6637-4958", "66374958\r", "６６３７４９５８", "6637495٨",
        "663749" + "5\u{0301}" + "8", "0x374958", String(repeating: "1", count: 100_000),
    ])
    func malformedAccountNumber(_ text: String) throws {
        #expect(UKAccountNumber(text) == nil)
        #expect(try Self.checker.get().check(sortCode: "089999", accountNumber: text) == .invalid(.format(.accountNumber)))
    }

    @Test("well-formed details keep their digits, leading zeros and all")
    func wellFormed() throws {
        let sortCode = try #require(SortCode("000001"))
        #expect(sortCode.digits == [0, 0, 0, 0, 0, 1])
        #expect(sortCode.value == 1)
        #expect(sortCode.description == "000001")
        let number = try #require(UKAccountNumber("09123496"))
        #expect(number.value == 9_123_496)
        #expect(UKAccountNumber(value: 9_123_496) == number)
        #expect(UKAccountNumber(value: -1) == nil)
        #expect(UKAccountNumber(value: 100_000_000) == nil)
        #expect(UKAccountNumber(value: 0)?.description == "00000000")
    }

    @Test("a sort code no row covers answers unknown sort code")
    func unknownSortCode() throws {
        // The table's first row starts at 010004.
        #expect(try Self.checker.get().check(sortCode: "000000", accountNumber: "66374958") == .invalid(.unknownSortCode))
        #expect(try Self.checker.get().check(sortCode: "999999", accountNumber: "66374958") == .invalid(.unknownSortCode))
    }

    /// Characters a careless parser might take for digits or skip, and anything at all.
    static let tricky: [Character] = Array("0123456789 -+.\t\n\r\u{0}") + [
        "٠", "٣", "۹", "०", "９", "０", "\u{1D7D8}", "\u{0301}", "é", "\u{FEFF}", "\u{200B}", "🏦", "1\u{20E3}",
    ]

    /// The reference rule, stated over Unicode scalars rather than UTF-8 bytes.
    static func isDigits(_ text: String, count: Int) -> Bool {
        text.unicodeScalars.count == count && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    @Test("any text answers format exactly when it is not six (or eight) ASCII digits, and never traps")
    func anyText() async throws {
        let checker = try Self.checker.get()
        // Strings mostly of digits (so many are near-valid), with tricky and arbitrary characters.
        let anyScalar = Gen<UInt32>.value(in: 0...0x10FFFF).map { Character(Unicode.Scalar($0) ?? "?") }
        let character = zip(Gen.int(in: 0...9), Gen.number, Gen<Character?>.element(of: Self.tricky), anyScalar).map { pick in
            switch pick.0 {
            case 0...5: pick.1
            case 6...8: pick.2 ?? "0"
            default: pick.3
            }
        }
        let texts = character.string(of: 0...12)
        await propertyCheck(count: 5_000, input: texts, texts) { sortCode, accountNumber in
            let result = checker.check(sortCode: sortCode, accountNumber: accountNumber)
            if !Self.isDigits(sortCode, count: 6) {
                #expect(result == .invalid(.format(.sortCode)), "\(sortCode.debugDescription)")
            } else if !Self.isDigits(accountNumber, count: 8) {
                #expect(result == .invalid(.format(.accountNumber)), "\(accountNumber.debugDescription)")
            } else {
                #expect(result != .invalid(.format(.sortCode)) && result != .invalid(.format(.accountNumber)))
                #expect(SortCode(sortCode)?.description == sortCode)
                #expect(UKAccountNumber(accountNumber)?.description == accountNumber)
            }
        }
    }
}
