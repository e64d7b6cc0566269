/// A secret (password, key, token, connection string with credentials) that refuses to be
/// printed: interpolating it into a log line or an error yields `<redacted>`. Read the value
/// only where it is used, through `revealed`.
public struct SecretValue: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let revealed: String

    public init(_ value: String) { self.revealed = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
