/// A value bound into, or read out of, a SQL statement. The one type both backends agree
/// on: integers, text, bytes, booleans and null. No floating point: money never passes
/// through a `Double`.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case bytes([UInt8])
    case bool(Bool)
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
