/// A UK account number in the standard form: exactly eight ASCII digits, as in `"66374958"`.
/// Longer numbers some banks hand out (nine or ten digits) are not accepted here; a caller
/// converts them to the standard eight first. No text makes the initializer trap.
public struct UKAccountNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The largest account number, `99999999`.
    public static let maximumValue = 99_999_999

    /// The eight digits, most significant first, each 0...9.
    public let digits: [Int]

    public init?(_ text: some StringProtocol) {
        guard let digits = DigitString.digits(of: text, count: 8) else { return nil }
        self.init(checkedDigits: digits)
    }

    /// The account number `value` written with eight digits (leading zeros), or nil when
    /// `value` is negative or over `maximumValue`.
    public init?(value: Int) {
        guard (0...Self.maximumValue).contains(value) else { return nil }
        var digits = [Int](repeating: 0, count: 8)
        var rest = value
        for index in digits.indices.reversed() {
            digits[index] = rest % 10
            rest /= 10
        }
        self.init(checkedDigits: digits)
    }

    /// The account number of eight digits already checked to be 0...9.
    init(checkedDigits digits: [Int]) {
        self.digits = digits
        self.value = DigitString.value(of: digits)
    }

    /// The account number as a number, 0...99_999_999.
    public let value: Int

    public var description: String { DigitString.text(of: digits) }

    public static func < (lhs: UKAccountNumber, rhs: UKAccountNumber) -> Bool { lhs.value < rhs.value }
}
