/// A stable, documented error code: clients branch on it, so a code is never renamed.
///
/// Codes are `SR-` followed by an area and a number; each area adds its own in an
/// extension beside the code that raises them.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
}

extension ErrorCode {
    // Request shape (SR-0xxx).
    public static let malformedJSON: Self = "SR-0001"
    public static let invalidField: Self = "SR-0002"
    public static let unknownField: Self = "SR-0003"
    public static let payloadTooLarge: Self = "SR-0004"
    public static let routeNotFound: Self = "SR-0005"
    public static let methodNotAllowed: Self = "SR-0006"
    public static let invalidQuery: Self = "SR-0007"

    // Service state (SR-9xxx).
    public static let serviceUnavailable: Self = "SR-9001"
    public static let internalError: Self = "SR-9999"
}
