/// A failure a client or operator can cause, carried as a value with a stable code.
///
/// Equal by `code`: tests compare codes, never messages. `detail` is safe to show to the
/// caller: it never carries a secret, a stack trace or personal data.
public struct StrongroomError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; the HTTP layer maps a kind to a status code, and the
    /// error catalogue gives each code its kind.
    public enum Kind: String, Sendable {
        case badRequest
        case unauthorized
        case forbidden
        case notFound
        case methodNotAllowed
        case conflict
        /// What was asked for existed once and is gone for good (an expired events cursor).
        case gone
        case payloadTooLarge
        case unprocessable
        case tooManyRequests
        case unavailable
        /// A bug: never caused by a client, always logged with the request id.
        case internalFailure
    }

    /// One offending field of a request body.
    public struct FieldError: Sendable, Equatable {
        public let field: String
        public let message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public let code: ErrorCode
    public let kind: Kind
    public let detail: String
    public let fields: [FieldError]

    /// The error `code` answers with: its kind (and so its status) is the catalogue's, so a
    /// throw site cannot pair a code with another status.
    public init(_ code: ErrorCode, _ detail: String, fields: [FieldError] = []) {
        self.code = code
        self.kind = code.kind
        self.detail = detail
        self.fields = fields
    }

    public var description: String { "\(code.rawValue): \(detail)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
