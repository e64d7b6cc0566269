/// Where the keys that protect holders' personal data live, per organization: the
/// key-encryption keys (KEKs) that wrap each holder's data key, by version, and the key of the
/// organization's blind index. `MasterKeyProvider` keeps them sealed under the master key
/// today; an HSM or a KMS can implement the same calls later and keep its keys itself, since
/// a data key only ever crosses this seam to be wrapped or unwrapped.
public protocol HolderKeyProvider: Sendable {
    /// The KEK version that new data keys of the organization are wrapped under: its newest.
    func currentKeyEncryptionKeyVersion(organizationID: String) throws(HolderSealingError) -> KeyVersion

    /// `dataKey` sealed under the organization's KEK `version`, bound to `associatedData`.
    func wrap(
        _ dataKey: [UInt8], organizationID: String, version: KeyVersion, associatedData: [UInt8]
    ) throws(HolderSealingError) -> [UInt8]

    /// The data key `wrapped` holds, when it was wrapped under the organization's KEK
    /// `version` with the same `associatedData`; `dataKeyDoesNotOpen` otherwise.
    func unwrap(
        _ wrapped: [UInt8], organizationID: String, version: KeyVersion, associatedData: [UInt8]
    ) throws(HolderSealingError) -> [UInt8]

    /// The organization's blind index, under its newest index key.
    func blindIndex(organizationID: String) throws(HolderSealingError) -> BlindIndex
}
