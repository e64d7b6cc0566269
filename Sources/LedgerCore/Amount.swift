import StrongroomKernel

/// An exact amount of one asset: an integer count of minor units at a fixed scale
/// (`12345` at scale 2 is `123.45`). There is no floating point anywhere on the money path;
/// arithmetic that would overflow is an error, never a wrap.
public struct Amount: Hashable, Sendable, CustomStringConvertible {
    /// The largest magnitude any amount may have, in major units (API.md: over 10^20 → 422).
    public static let maxMajorUnits: Int128 = 100_000_000_000_000_000_000
    /// The largest scale an asset may have: 10^20 major units at this scale still fits Int128.
    public static let maxScale = 18

    public let minorUnits: Int128
    public let scale: Int

    public init(minorUnits: Int128, scale: Int) throws(AmountError) {
        guard (0...Self.maxScale).contains(scale) else { throw .scaleOutOfRange }
        guard minorUnits.magnitude <= Self.limit(scale: scale).magnitude else { throw .outOfRange }
        self.minorUnits = minorUnits
        self.scale = scale
    }

    public static func zero(scale: Int) -> Amount {
        Amount(unchecked: 0, scale: scale)
    }

    private init(unchecked minorUnits: Int128, scale: Int) {
        self.minorUnits = minorUnits
        self.scale = scale
    }

    /// 10^20 major units at each scale 0...18, in minor units: at most 10^38, under
    /// Int128's 1.7 × 10^38, so the table itself cannot overflow.
    private static let limits: [Int128] = {
        var table: [Int128] = [maxMajorUnits]
        for _ in 0..<maxScale { table.append(table[table.count - 1] * 10) }
        return table
    }()

    /// 10^20 major units at `scale` (0...18), in minor units.
    static func limit(scale: Int) -> Int128 { limits[scale] }

    /// Parses a plain decimal string (`"100"`, `"100.5"`, `"-0.01"`) at `scale`. No exponent,
    /// no grouping, no `+`, no leading or trailing space, at most `scale` fractional digits.
    public init(parsing text: String, scale: Int) throws(AmountError) {
        guard (0...Self.maxScale).contains(scale) else { throw .scaleOutOfRange }
        var bytes = Substring(text).utf8[...]
        guard !bytes.isEmpty, bytes.count <= 64 else { throw .malformed }
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var integerDigits = 0
        var fractionDigits = 0
        var seenPoint = false
        var value: Int128 = 0
        let limit = Self.limit(scale: scale)
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw .malformed }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .malformed }
            if seenPoint {
                fractionDigits += 1
                guard fractionDigits <= scale else { throw .tooManyFractionDigits }
            } else {
                integerDigits += 1
            }
            // Checked before the step: at scale 18 the limit is 10^38, and ten times a value
            // just under it is past Int128's maximum (this trapped the process once).
            guard value <= (limit - Int128(byte - UInt8(ascii: "0"))) / 10 else { throw .outOfRange }
            value = value * 10 + Int128(byte - UInt8(ascii: "0"))
        }
        guard integerDigits > 0, !seenPoint || fractionDigits > 0 else { throw .malformed }
        for _ in fractionDigits..<scale {
            guard value <= limit / 10 else { throw .outOfRange }
            value *= 10
        }
        self.init(unchecked: negative ? -value : value, scale: scale)
    }

    /// The canonical decimal string: exactly `scale` fractional digits, `-` for negatives.
    public var description: String {
        let digits = String(minorUnits.magnitude)
        let sign = minorUnits < 0 ? "-" : ""
        guard scale > 0 else { return sign + digits }
        let padded = digits.count > scale ? digits : String(repeating: "0", count: scale - digits.count + 1) + digits
        let split = padded.index(padded.endIndex, offsetBy: -scale)
        return sign + padded[..<split] + "." + padded[split...]
    }

    public func adding(_ other: Amount) throws(AmountError) -> Amount {
        guard scale == other.scale else { throw .scaleMismatch }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .outOfRange }
        return try Amount(minorUnits: sum, scale: scale)
    }

    public func subtracting(_ other: Amount) throws(AmountError) -> Amount {
        guard scale == other.scale else { throw .scaleMismatch }
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .outOfRange }
        return try Amount(minorUnits: difference, scale: scale)
    }

    public var isPositive: Bool { minorUnits > 0 }
    public var isNegative: Bool { minorUnits < 0 }
}

/// Why a value is not an acceptable amount.
public enum AmountError: Error, Sendable, Equatable {
    case malformed
    case tooManyFractionDigits
    case outOfRange
    case scaleOutOfRange
    case scaleMismatch
}

/// Amounts travel as canonical decimal strings in major units (`"100.00"`), never as JSON
/// numbers a client might read into a binary float. Decoding needs the asset's scale, so it
/// is done by `init(parsing:scale:)`, not by `Decodable`.
extension Amount: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Amount: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) { json.string(description) }
}
