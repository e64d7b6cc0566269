import Crypto

/// One holder's data key: random, 256 bits, sealing every personal field of that holder
/// (`FieldSealer`). It is stored only wrapped (`WrappedDataKey`), and destroying the wrapped
/// form makes the holder's fields unreadable: crypto-shredding. It never prints its bytes.
public struct HolderDataKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let byteCount = 32

    /// This key's generation for its holder: a new data key (re-sealing every field) is the
    /// next version, and each sealed field names the version it needs.
    public let version: KeyVersion
    let key: SymmetricKey

    /// A fresh random key from the system's cryptographic generator.
    public static func generate(version: KeyVersion = .first) -> HolderDataKey {
        HolderDataKey(version: version, key: SymmetricKey(size: .bits256))
    }

    /// A key from its 32 bytes (an unwrapped key, a test's fixed key); nil for any other count.
    public init?(bytes: [UInt8], version: KeyVersion) {
        guard bytes.count == Self.byteCount else { return nil }
        self.init(version: version, key: SymmetricKey(data: bytes))
    }

    private init(version: KeyVersion, key: SymmetricKey) {
        self.version = version
        self.key = key
    }

    /// This key wrapped by the organization's newest KEK, bound to the holder and the
    /// organization, for the store.
    public func wrapped(
        holderID: String, organizationID: String, by provider: some HolderKeyProvider
    ) throws(HolderSealingError) -> WrappedDataKey {
        let keyVersion = try provider.currentKeyEncryptionKeyVersion(organizationID: organizationID)
        let associatedData = WrappedDataKey.associatedData(
            holderID: holderID, organizationID: organizationID, keyEncryptionKeyVersion: keyVersion, dataKeyVersion: version
        )
        let bytes = key.withUnsafeBytes { Array($0) }
        let wrapped = try provider.wrap(bytes, organizationID: organizationID, version: keyVersion, associatedData: associatedData)
        return WrappedDataKey(keyEncryptionKeyVersion: keyVersion, dataKeyVersion: version, wrapped: wrapped)
    }

    public var description: String { "HolderDataKey(\(version), <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["version": version]) }
}
