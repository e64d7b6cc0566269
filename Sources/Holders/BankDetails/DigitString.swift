/// Fixed-length strings of ASCII digits, read byte by byte: the one reader behind sort codes,
/// account numbers and the fields of the modulus tables.
enum DigitString {
    /// The digits of `text` when it is exactly `count` ASCII digits, else nil. Reads UTF-8
    /// bytes, so a digit of another script (Arabic-Indic, full-width) is refused, never
    /// folded into 0...9.
    static func digits(of text: some StringProtocol, count: Int) -> [Int]? {
        digits(of: text.utf8, count: count)
    }

    /// The digits of `bytes` when they are exactly `count` ASCII digits, else nil.
    static func digits(of bytes: some Collection<UInt8>, count: Int) -> [Int]? {
        var digits: [Int] = []
        digits.reserveCapacity(count)
        for byte in bytes {
            guard digits.count < count, let digit = digit(byte) else { return nil }
            digits.append(digit)
        }
        return digits.count == count ? digits : nil
    }

    /// The value of one ASCII digit, or nil for any other byte.
    static func digit(_ byte: UInt8) -> Int? {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        return Int(truncatingIfNeeded: byte &- UInt8(ascii: "0"))
    }

    /// The number the digits spell. Callers pass at most eight digits, so it cannot overflow.
    static func value(of digits: [Int]) -> Int {
        digits.reduce(0) { $0 * 10 + $1 }
    }

    static func text(of digits: [Int]) -> String {
        String(decoding: digits.map { UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
    }
}
