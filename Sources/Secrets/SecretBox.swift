import Crypto
import Foundation
import StrongroomKernel

/// Seals small secrets for storage with AES-256-GCM under a key derived from the master key.
///
/// The sealed form is `version(1) ‖ nonce(12) ‖ ciphertext ‖ tag(16)`. The caller's
/// `context` (a row id, a key id) is authenticated, so a sealed value copied onto another
/// row does not open there.
public struct SecretBox: Sendable {
    private static let formatVersion: UInt8 = 1
    private let masterKey: MasterKey

    public init(masterKey: MasterKey) { self.masterKey = masterKey }

    public func seal(_ plaintext: [UInt8], purpose: SealPurpose, context: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(
            plaintext,
            using: masterKey.derivedKey(purpose: purpose),
            authenticating: Self.associatedData(purpose: purpose, context: context)
        )
        return [Self.formatVersion] + Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
    }

    public func open(_ sealed: [UInt8], purpose: SealPurpose, context: String) throws(SecretsError) -> [UInt8] {
        guard sealed.count >= 1 + 12 + 16, sealed[0] == Self.formatVersion else { throw .sealedValueCorrupt }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: sealed[1..<13]),
                ciphertext: sealed[13..<(sealed.count - 16)],
                tag: sealed[(sealed.count - 16)...]
            )
            return try Array(AES.GCM.open(
                box,
                using: masterKey.derivedKey(purpose: purpose),
                authenticating: Self.associatedData(purpose: purpose, context: context)
            ))
        } catch {
            // A wrong master key and a tampered row look the same from here, on purpose.
            throw .sealedValueCorrupt
        }
    }

    /// A stable, keyed pseudonym for a value that must not appear in clear (a username in
    /// the audit trail): equal inputs give equal pseudonyms, and without the master key the
    /// input cannot be guessed back from it. 32 hex digits (128 bits of HMAC-SHA256).
    public func pseudonym(_ value: String, purpose: SealPurpose) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(value.utf8), using: masterKey.derivedKey(purpose: purpose))
        return Hex.string(mac.prefix(16))
    }

    /// 32 bytes derived from the master key for one purpose: the seed of a key that every
    /// process sharing the master key derives alike (the audit checkpoint key).
    public func derivedSeed(purpose: SealPurpose) -> [UInt8] {
        masterKey.derivedKey(purpose: purpose).withUnsafeBytes { Array($0) }
    }

    private static func associatedData(purpose: SealPurpose, context: String) -> [UInt8] {
        Array("strongroom.secret-box.v1\u{0}\(purpose.rawValue)\u{0}\(context)".utf8)
    }
}
