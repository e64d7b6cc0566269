/// A subscription's signing secret: the HMAC key of its deliveries' signatures.
///
/// The key is the secret's text exactly as it was shown when the subscription was created,
/// taken as its UTF-8 bytes: a receiver decodes nothing. It refuses to be printed, so a log
/// line or an error that interpolates it shows `<redacted>`.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The most a secret may hold, in UTF-8 bytes.
    public static let maxBytes = 256

    let key: [UInt8]

    /// Nil for an empty secret (an HMAC under an empty key proves nothing) or one over
    /// `maxBytes`.
    public init?(_ text: String) {
        let key = Array(text.utf8)
        guard !key.isEmpty, key.count <= Self.maxBytes else { return nil }
        self.key = key
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
