/// A configuration the server refuses to start with. The message is one line, says what is
/// wrong and what to do, and never contains a secret value.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
