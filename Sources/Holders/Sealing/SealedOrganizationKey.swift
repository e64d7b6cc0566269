import Crypto
import Secrets

/// One organization's key, random, sealed under the master key with `SecretBox` and bound to
/// its organization, kind and version, as the store keeps it: a row copied onto another
/// organization, kind or version does not open. `MasterKeyProvider` opens these.
public struct SealedOrganizationKey: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Wraps holders' data keys.
        case keyEncryption = "key-encryption"
        /// Keys the organization's blind index.
        case blindIndex = "blind-index"

        var purpose: SealPurpose {
            switch self {
            case .keyEncryption: .holderKeyEncryptionKey
            case .blindIndex: .holderBlindIndexKey
            }
        }
    }

    public static let keyByteCount = 32

    public let organizationID: String
    public let kind: Kind
    public let version: KeyVersion
    /// `SecretBox`'s sealed form of the key's 32 bytes.
    public let sealed: [UInt8]

    public init(organizationID: String, kind: Kind, version: KeyVersion, sealed: [UInt8]) {
        self.organizationID = organizationID
        self.kind = kind
        self.version = version
        self.sealed = sealed
    }

    /// A new random key of `kind` for the organization, sealed by `box`.
    public static func generate(
        _ kind: Kind, organizationID: String, version: KeyVersion, sealingWith box: SecretBox
    ) throws(HolderSealingError) -> SealedOrganizationKey {
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let sealed: [UInt8]
        do {
            sealed = try box.seal(key, purpose: kind.purpose, context: context(organizationID: organizationID, version: version))
        } catch {
            throw .sealingFailed
        }
        return SealedOrganizationKey(organizationID: organizationID, kind: kind, version: version, sealed: sealed)
    }

    /// The key's bytes, opened by `box`.
    func open(with box: SecretBox) throws(HolderSealingError) -> SymmetricKey {
        let context = Self.context(organizationID: organizationID, version: version)
        guard let bytes = try? box.open(sealed, purpose: kind.purpose, context: context), bytes.count == Self.keyByteCount else {
            throw .organizationKeyDoesNotOpen(organizationID: organizationID, kind: kind, version: version)
        }
        return SymmetricKey(data: bytes)
    }

    /// SecretBox binds its purpose (the kind) itself; the context adds the rest. The
    /// organization id's length goes first, so no id and version pair reads as another.
    static func context(organizationID: String, version: KeyVersion) -> String {
        "\(organizationID.utf8.count):\(organizationID):\(version.rawValue)"
    }
}

extension SealPurpose {
    /// An organization's key-encryption key for holders' data keys (the organization id and
    /// version are the context).
    public static let holderKeyEncryptionKey = SealPurpose(rawValue: "holders.key-encryption-key")
    /// An organization's key for the blind index of holders' look-up fields.
    public static let holderBlindIndexKey = SealPurpose(rawValue: "holders.blind-index-key")
}
