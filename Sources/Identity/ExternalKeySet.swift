import Foundation
import JWTKit

/// The public keys of an outside issuer, read from a JWK Set (RFC 7517), each pinned to one
/// algorithm.
///
/// What is refused when the set is read, so that a mistake fails the start instead of
/// weakening verification: symmetric (`oct`) keys, which would let anyone who can read the set
/// sign; private key members; keys without a `kid`, or two with the same one; keys not for
/// signing; an `alg` that does not fit the key type; RSA keys under 2048 bits.
public struct ExternalKeySet: Sendable {
    struct Key: Sendable {
        let algorithm: String
        /// One collection per key, as in `SigningKeyring`: jwt-kit would fall back to a default
        /// key for an unknown `kid`, and would let the header's `alg` choose how an RSA key
        /// verifies.
        let collection: JWTKeyCollection
    }

    let keys: [String: Key]

    /// Every key id, sorted.
    public var keyIDs: [String] { keys.keys.sorted() }

    static let privateMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    public init(json: [UInt8]) async throws(ExternalIssuerError) {
        guard let root = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            let entries = root["keys"] as? [[String: Any]]
        else { throw .invalidKeySet("it is not a JSON object with a \"keys\" array of objects") }
        guard !entries.isEmpty else { throw .invalidKeySet("it holds no key") }
        var keys: [String: Key] = [:]
        for entry in entries {
            guard let kid = entry["kid"] as? String, !kid.isEmpty else { throw .invalidKeySet("a key has no kid") }
            guard keys[kid] == nil else { throw .invalidKeySet("two keys have the kid \(kid)") }
            let algorithm = try Self.algorithm(of: entry, kid: kid)
            var jwk: JWK
            do {
                jwk = try JSONDecoder().decode(JWK.self, from: JSONSerialization.data(withJSONObject: entry))
            } catch {
                throw .invalidKeySet("key \(kid) cannot be read")
            }
            jwk.algorithm = JWK.Algorithm(rawValue: algorithm)
            let collection = JWTKeyCollection()
            do {
                try await collection.add(jwk: jwk)
            } catch {
                throw .invalidKeySet("key \(kid) is not a usable \(algorithm) key (RSA keys need 2048 bits or more)")
            }
            keys[kid] = Key(algorithm: algorithm, collection: collection)
        }
        self.keys = keys
    }

    /// The one algorithm a key verifies: its `alg` when given (and fitting its type), else the
    /// usual one for its type and curve.
    static func algorithm(of entry: [String: Any], kid: String) throws(ExternalIssuerError) -> String {
        guard privateMembers.isDisjoint(with: entry.keys) else {
            throw .invalidKeySet("key \(kid) holds private or symmetric key material")
        }
        if let use = entry["use"] {
            guard use as? String == "sig" else { throw .invalidKeySet("key \(kid) is not for signatures") }
        }
        let type = entry["kty"] as? String
        let curve = entry["crv"] as? String
        let fitting: [String]
        switch (type, curve) {
        case ("RSA", _): fitting = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
        case ("EC", "P-256"): fitting = ["ES256"]
        case ("EC", "P-384"): fitting = ["ES384"]
        case ("EC", "P-521"): fitting = ["ES512"]
        case ("OKP", "Ed25519"): fitting = ["EdDSA"]
        default:
            throw .invalidKeySet("key \(kid) is of a type this server does not accept (kty \(type ?? "missing"))")
        }
        guard let given = entry["alg"] else { return fitting[0] }
        guard let name = given as? String, fitting.contains(name) else {
            throw .invalidKeySet("key \(kid) names an algorithm that does not fit its type")
        }
        return name
    }
}
