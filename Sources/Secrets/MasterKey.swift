import Crypto
import Foundation
import StrongroomKernel

/// The root key that seals every secret the service keeps in its database (signing keys
/// today; refresh-token peppers and personal-data keys later). 256 bits, supplied as 64 hex
/// digits or standard base64 of 32 bytes. It never leaves memory except through `encoded`,
/// which only the development bootstrap uses to write it to its 0600 file.
public struct MasterKey: Sendable {
    public static let byteCount = 32

    let key: SymmetricKey

    public init(bytes: [UInt8]) throws(SecretsError) {
        guard bytes.count == Self.byteCount else { throw .malformedMasterKey }
        guard Set(bytes).count > 1 else { throw .weakMasterKey }
        self.key = SymmetricKey(data: bytes)
    }

    /// Parses hex or base64 text, ignoring surrounding white space (files end in newlines).
    public init(text: String) throws(SecretsError) {
        guard let bytes = Self.keyBytes(text) else { throw .malformedMasterKey }
        try self.init(bytes: bytes)
    }

    /// The 32 bytes that 64 hex digits or base64 text spell, ignoring surrounding white
    /// space: how every 256-bit key Strongroom is given is written (this one, the audit
    /// checkpoint key's seed).
    public static func keyBytes(_ text: String) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == byteCount * 2, let bytes = Hex.bytes(trimmed.lowercased()) { return bytes }
        if let data = Data(base64Encoded: trimmed), data.count == byteCount { return [UInt8](data) }
        return nil
    }

    public static func generate() -> MasterKey {
        // A fresh random key has more than one distinct byte with overwhelming probability.
        try! MasterKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { [UInt8]($0) })
    }

    /// Hex text, for writing the development key file.
    public var encoded: SecretValue {
        SecretValue(key.withUnsafeBytes { Hex.string($0) })
    }

    /// A key for one purpose, so that a ciphertext sealed for one use cannot be opened as
    /// another and each purpose can be rotated on its own.
    func derivedKey(purpose: SealPurpose) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key,
            salt: Array("strongroom.master-key.v1".utf8),
            info: Array(purpose.rawValue.utf8),
            outputByteCount: 32
        )
    }
}
