/// A UTC instant with microsecond precision: what both databases store exactly.
///
/// Kept as an integer so that what is hashed, compared and stored is the same value on
/// SQLite and PostgreSQL, with no rounding through `Double`.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// Whole seconds, rounded down (towards the past, also before 1970).
    public var secondsSinceEpoch: Int64 {
        let (seconds, rest) = microsecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000)
        return rest < 0 ? seconds - 1 : seconds
    }

    /// Saturates at the ends of the range rather than trapping: no input can make a time
    /// overflow, and a time that far out compares as the end it reached.
    public func adding(seconds: Int64) -> Timestamp {
        let (micros, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? Timestamp(microsecondsSinceEpoch: seconds < 0 ? .min : .max) : adding(microseconds: micros)
    }

    /// Saturates at the ends of the range rather than trapping.
    public func adding(microseconds: Int64) -> Timestamp {
        let (sum, overflow) = microsecondsSinceEpoch.addingReportingOverflow(microseconds)
        return Timestamp(microsecondsSinceEpoch: overflow ? (microseconds < 0 ? .min : .max) : sum)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// RFC 3339 in UTC with six fractional digits, e.g. `2026-11-21T08:40:00.123456Z`.
    public var description: String { RFC3339.format(self) }
}

/// Timestamps travel as RFC 3339 text in UTC with six fractional digits.
extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let value = RFC3339.parse(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 date-time")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
