/// A UK sort code: exactly six ASCII digits, as in `"089999"`. Any other text (a dash, a
/// space, a digit from another script, one digit too many or too few) is not a sort code,
/// and no text makes the initializer trap.
public struct SortCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The six digits, most significant first, each 0...9.
    public let digits: [Int]

    public init?(_ text: some StringProtocol) {
        guard let digits = DigitString.digits(of: text, count: 6) else { return nil }
        self.init(checkedDigits: digits)
    }

    /// The sort code of six digits already checked to be 0...9.
    init(checkedDigits digits: [Int]) {
        self.digits = digits
        self.value = DigitString.value(of: digits)
    }

    /// The sort code as a number, 0...999_999: how the weight table's ranges compare.
    public let value: Int

    public var description: String { DigitString.text(of: digits) }

    public static func < (lhs: SortCode, rhs: SortCode) -> Bool { lhs.value < rhs.value }
}
