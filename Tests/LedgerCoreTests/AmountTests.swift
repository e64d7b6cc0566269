import LedgerCore
import Testing

@Suite("Amount")
struct AmountTests {
    @Test(arguments: [
        ("100", 2, "100.00"), ("100.5", 2, "100.50"), ("0.01", 2, "0.01"), ("-0.01", 2, "-0.01"),
        ("7", 0, "7"), ("0.00000001", 8, "0.00000001"), ("100000000000000000000", 2, "100000000000000000000.00"),
    ])
    func parsesAndRendersExactly(text: String, scale: Int, rendered: String) throws {
        let amount = try Amount(parsing: text, scale: scale)
        #expect(amount.description == rendered)
    }

    @Test(arguments: [
        ("", AmountError.malformed), ("1e5", .malformed), ("+1", .malformed), (" 1", .malformed),
        ("1.", .malformed), (".5", .malformed), ("1.2.3", .malformed), ("--1", .malformed),
        ("1.234", .tooManyFractionDigits), ("100000000000000000000.01", .outOfRange),
        ("1234567890123456789012345678901234567890", .outOfRange), ("NaN", .malformed),
    ])
    func refusesWhatIsNotAnExactAmount(text: String, error: AmountError) {
        #expect(throws: error) { try Amount(parsing: text, scale: 2) }
    }

    @Test func arithmeticIsExactAndChecked() throws {
        let a = try Amount(parsing: "0.10", scale: 2)
        let b = try Amount(parsing: "0.20", scale: 2)
        #expect(try a.adding(b).description == "0.30")
        #expect(try a.subtracting(b).description == "-0.10")
        let max = try Amount(parsing: "100000000000000000000", scale: 2)
        #expect(throws: AmountError.outOfRange) { try max.adding(a) }
        #expect(throws: AmountError.scaleMismatch) { try a.adding(Amount(parsing: "1", scale: 0)) }
    }

    @Test func scaleIsBounded() {
        #expect(throws: AmountError.scaleOutOfRange) { try Amount(parsing: "1", scale: 19) }
        #expect(throws: AmountError.scaleOutOfRange) { try Amount(minorUnits: 1, scale: -1) }
    }
}
