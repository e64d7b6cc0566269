/// A holder's data key as the store keeps it: sealed by the organization's key-encryption key
/// (KEK) through the key provider, with both versions in clear so the right keys are found.
/// The wrap is bound to the organization, the holder and both versions, so it opens only for
/// the holder it was made for.
///
/// Stored as `format(1) ‖ KEK version(4) ‖ data key version(4) ‖ the provider's bytes`.
public struct WrappedDataKey: Sendable, Equatable {
    static let formatVersion: UInt8 = 1
    /// The provider's bytes are at most a few hundred (a nonce, 32 bytes and a tag today; a
    /// KMS's envelope later): anything past this is not a wrapped key.
    public static let maxEncodedBytes = 4_096

    public let keyEncryptionKeyVersion: KeyVersion
    public let dataKeyVersion: KeyVersion
    /// What the provider's `wrap` answered.
    public let wrapped: [UInt8]

    public init(keyEncryptionKeyVersion: KeyVersion, dataKeyVersion: KeyVersion, wrapped: [UInt8]) {
        self.keyEncryptionKeyVersion = keyEncryptionKeyVersion
        self.dataKeyVersion = dataKeyVersion
        self.wrapped = wrapped
    }

    /// Parses the stored form; `malformedWrappedDataKey` for anything else.
    public init(encoded: [UInt8]) throws(HolderSealingError) {
        guard encoded.count > 9, encoded.count <= Self.maxEncodedBytes, encoded[0] == Self.formatVersion,
              let keyVersion = KeyVersion.read(encoded, at: 1), let dataVersion = KeyVersion.read(encoded, at: 5)
        else { throw .malformedWrappedDataKey }
        self.init(keyEncryptionKeyVersion: keyVersion, dataKeyVersion: dataVersion, wrapped: Array(encoded[9...]))
    }

    public var encoded: [UInt8] {
        [Self.formatVersion] + keyEncryptionKeyVersion.bytes + dataKeyVersion.bytes + wrapped
    }

    /// The holder's data key, when this was wrapped for this holder and organization and the
    /// provider still has its KEK version.
    public func unwrap(
        holderID: String, organizationID: String, by provider: some HolderKeyProvider
    ) throws(HolderSealingError) -> HolderDataKey {
        let associatedData = Self.associatedData(
            holderID: holderID, organizationID: organizationID,
            keyEncryptionKeyVersion: keyEncryptionKeyVersion, dataKeyVersion: dataKeyVersion
        )
        let bytes = try provider.unwrap(
            wrapped, organizationID: organizationID, version: keyEncryptionKeyVersion, associatedData: associatedData
        )
        guard let key = HolderDataKey(bytes: bytes, version: dataKeyVersion) else { throw .dataKeyDoesNotOpen }
        return key
    }

    /// The same data key wrapped under the organization's newest KEK: a KEK rotation re-wraps
    /// each holder's key this way, and no field is sealed again.
    public func rewrapped(
        holderID: String, organizationID: String, by provider: some HolderKeyProvider
    ) throws(HolderSealingError) -> WrappedDataKey {
        try unwrap(holderID: holderID, organizationID: organizationID, by: provider)
            .wrapped(holderID: holderID, organizationID: organizationID, by: provider)
    }

    static func associatedData(
        holderID: String, organizationID: String, keyEncryptionKeyVersion: KeyVersion, dataKeyVersion: KeyVersion
    ) -> [UInt8] {
        BoundContext.bytes("strongroom.holders.data-key", [
            [formatVersion], Array(organizationID.utf8), Array(holderID.utf8), keyEncryptionKeyVersion.bytes, dataKeyVersion.bytes,
        ])
    }
}
