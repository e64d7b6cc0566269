import Crypto
import StrongroomKernel

/// A 256-bit random credential (refresh token, client secret) and the one form of it that is
/// stored: its SHA-256. A secret this random needs no slow hash; a stolen table still
/// yields nothing that can be presented.
public enum OpaqueSecret {
    /// base64url of 32 random bytes, 43 characters.
    public static func generate() -> SecretValue {
        var generator = SystemRandomNumberGenerator()
        return SecretValue(Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    public static func hash(_ presented: String) -> String {
        Hex.string(SHA256.hash(data: Array(presented.utf8)))
    }

    /// Longer than anything `generate` makes; a bigger presented value is refused unhashed.
    public static let maxPresentedBytes = 128
}
