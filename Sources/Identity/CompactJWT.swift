import Foundation

/// A JWS in compact serialization, split and its header parsed, before anything is trusted:
/// what a verifier reads to pin the algorithm, type and key before a library sees the token.
struct CompactJWT {
    let header: [String: Any]
    /// The payload, still base64url-encoded (unverified).
    private let encodedPayload: Substring

    init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty,
            let headerBytes = Base64URL.decode(parts[0]),
            let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any]
        else { return nil }
        self.header = header
        self.encodedPayload = parts[1]
    }

    var algorithm: String? { header["alg"] as? String }
    var type: String? { header["typ"] as? String }
    var keyID: String? { header["kid"] as? String }
    /// A `crit` header names extensions the verifier must understand; we understand none.
    var hasCriticalExtensions: Bool { header["crit"] != nil }

    /// The `iss` the payload claims, unverified: only to choose which verifier to ask.
    var claimedIssuer: String? {
        guard let payload = Base64URL.decode(encodedPayload) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])?["iss"] as? String
    }
}
