import Crypto
import Foundation
import JWTKit
import Secrets
import StrongroomKernel

/// The Ed25519 keys that sign and verify access tokens. The newest key signs; every key
/// verifies, so tokens signed before a rotation stay valid until they expire.
public struct SigningKeyring: Sendable {
    struct Key: Sendable {
        let kid: String
        let createdAt: Timestamp
        let publicKey: Curve25519.Signing.PublicKey
        /// One collection per key: jwt-kit falls back to a default key for an unknown `kid`,
        /// so the keyring picks the key itself and never lets the library choose.
        let collection: JWTKeyCollection
    }

    let keys: [String: Key]
    let signingKid: String

    /// Opens the stored keys that still verify with the master key. Fails when there is none,
    /// or when one does not open (wrong master key, altered row): a keyring that silently
    /// dropped keys would log everyone out without saying why.
    ///
    /// A key retires once its successor has been signing for longer than any access token
    /// lives (plus the clock skew allowed): no token it signed can still be valid. Given no
    /// `now`, every key is kept.
    public init(records: [SigningKeyRecord], box: SecretBox, now: Timestamp? = nil) async throws {
        var keys: [String: Key] = [:]
        for record in Self.live(records, now: now) {
            let raw = try box.open(record.sealedPrivateKey, purpose: .signingKey, context: record.kid)
            let privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
            let collection = JWTKeyCollection()
            await collection.add(eddsa: EdDSA.PrivateKey(backing: privateKey), kid: JWKIdentifier(string: record.kid))
            keys[record.kid] = Key(
                kid: record.kid, createdAt: record.createdAt, publicKey: privateKey.publicKey, collection: collection
            )
        }
        guard let newest = keys.values.max(by: { ($0.createdAt, $0.kid) < ($1.createdAt, $1.kid) }) else {
            throw IdentityFailure.noSigningKey
        }
        self.keys = keys
        self.signingKid = newest.kid
    }

    /// The records whose tokens may still be valid at `now`, oldest first.
    static func live(_ records: [SigningKeyRecord], now: Timestamp?) -> [SigningKeyRecord] {
        let ordered = records.filter { $0.algorithm == SigningKeyRecord.algorithm }
            .sorted { ($0.createdAt, $0.kid) < ($1.createdAt, $1.kid) }
        guard let now else { return ordered }
        let horizon = (TokenSettings.allowedAccessLifetimes.upperBound + TokenSettings.clockSkewSeconds) * 1_000_000
        return ordered.enumerated().filter { index, _ in
            index == ordered.count - 1 || ordered[index + 1].createdAt.microsecondsSinceEpoch + horizon > now.microsecondsSinceEpoch
        }.map(\.element)
    }

    /// A new key record, sealed for storage. The `kid` is random, not derived from the key.
    public static func generateRecord(box: SecretBox, kid: String, at now: Timestamp) throws -> SigningKeyRecord {
        let privateKey = Curve25519.Signing.PrivateKey()
        return SigningKeyRecord(
            kid: kid,
            algorithm: SigningKeyRecord.algorithm,
            sealedPrivateKey: try box.seal(Array(privateKey.rawRepresentation), purpose: .signingKey, context: kid),
            publicKey: Array(privateKey.publicKey.rawRepresentation),
            createdAt: now
        )
    }

    /// The public keys as a JWK Set (RFC 7517, OKP keys of RFC 8037).
    public var jwks: [[String: String]] {
        keys.values.sorted { $0.kid < $1.kid }.map { key in
            [
                "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": key.kid,
                "x": Base64URL.encode(Array(key.publicKey.rawRepresentation)),
            ]
        }
    }
}

/// Failures of the identity machinery itself (not of a caller's input).
public enum IdentityFailure: Error, Sendable, CustomStringConvertible {
    case noSigningKey

    public var description: String {
        switch self {
        case .noSigningKey: "no token signing key is stored"
        }
    }
}
