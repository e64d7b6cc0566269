/// A value bound into, or read out of, a SQL statement. The one type both backends agree
/// on: integers, text, bytes, booleans and null. No floating point: money never passes
/// through a `Double`.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case bytes([UInt8])
    case bool(Bool)
    /// Values of one kind bound as one PostgreSQL array of that kind (`text[]`, `int8[]`, …;
    /// NULL elements allowed): how a statement takes a list of any length through one
    /// parameter, so its text stays the same, and the planner sees a constant array whose
    /// length it counts and which it hashes for `= ANY`. PostgreSQL only: SQLite has no
    /// arrays and refuses it.
    case list([SQLValue])
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
