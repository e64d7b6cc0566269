import Crypto
import Secrets

/// The key provider over the master key: organizations' keys are random and stored sealed
/// under it (`SealedOrganizationKey`); this opens the ones it is given, once, and keeps them in
/// memory. A new organization or a rotation adds a key with `adding(_:)`.
public struct MasterKeyProvider: HolderKeyProvider {
    /// An organization's keys of one kind.
    private struct Owner: Hashable {
        var organizationID: String
        var kind: SealedOrganizationKey.Kind
    }

    private struct Slot: Hashable {
        var owner: Owner
        var version: KeyVersion
    }

    private let box: SecretBox
    private var keys: [Slot: SymmetricKey] = [:]
    /// The newest version of each organization's key of each kind.
    private var newest: [Owner: KeyVersion] = [:]

    /// Fails on the first key that does not open, and on two keys for one slot.
    public init(secretBox: SecretBox, sealedKeys: some Sequence<SealedOrganizationKey>) throws(HolderSealingError) {
        self.box = secretBox
        for key in sealedKeys {
            try add(key)
        }
    }

    /// This provider with one more key.
    public func adding(_ key: SealedOrganizationKey) throws(HolderSealingError) -> MasterKeyProvider {
        var copy = self
        try copy.add(key)
        return copy
    }

    private mutating func add(_ key: SealedOrganizationKey) throws(HolderSealingError) {
        let owner = Owner(organizationID: key.organizationID, kind: key.kind)
        let slot = Slot(owner: owner, version: key.version)
        guard keys[slot] == nil else {
            throw .duplicateOrganizationKey(organizationID: key.organizationID, kind: key.kind, version: key.version)
        }
        keys[slot] = try key.open(with: box)
        if newest[owner].map({ $0 < key.version }) ?? true {
            newest[owner] = key.version
        }
    }

    public func currentKeyEncryptionKeyVersion(organizationID: String) throws(HolderSealingError) -> KeyVersion {
        guard let version = newest[Owner(organizationID: organizationID, kind: .keyEncryption)] else {
            throw .noKeyEncryptionKey(organizationID: organizationID, version: nil)
        }
        return version
    }

    public func wrap(
        _ dataKey: [UInt8], organizationID: String, version: KeyVersion, associatedData: [UInt8]
    ) throws(HolderSealingError) -> [UInt8] {
        let kek = try keyEncryptionKey(organizationID: organizationID, version: version)
        guard let box = try? AES.GCM.seal(dataKey, using: kek, authenticating: associatedData) else { throw .sealingFailed }
        return Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
    }

    public func unwrap(
        _ wrapped: [UInt8], organizationID: String, version: KeyVersion, associatedData: [UInt8]
    ) throws(HolderSealingError) -> [UInt8] {
        let kek = try keyEncryptionKey(organizationID: organizationID, version: version)
        guard wrapped.count >= 12 + 16,
              let box = try? AES.GCM.SealedBox(
                  nonce: AES.GCM.Nonce(data: wrapped[0..<12]),
                  ciphertext: wrapped[12..<(wrapped.count - 16)],
                  tag: wrapped[(wrapped.count - 16)...]
              ),
              let key = try? AES.GCM.open(box, using: kek, authenticating: associatedData)
        else { throw .dataKeyDoesNotOpen }
        return Array(key)
    }

    public func blindIndex(organizationID: String) throws(HolderSealingError) -> BlindIndex {
        let owner = Owner(organizationID: organizationID, kind: .blindIndex)
        guard let version = newest[owner], let key = keys[Slot(owner: owner, version: version)] else {
            throw .noBlindIndexKey(organizationID: organizationID)
        }
        return BlindIndex(key: key, version: version)
    }

    private func keyEncryptionKey(organizationID: String, version: KeyVersion) throws(HolderSealingError) -> SymmetricKey {
        guard let key = keys[Slot(owner: Owner(organizationID: organizationID, kind: .keyEncryption), version: version)] else {
            throw .noKeyEncryptionKey(organizationID: organizationID, version: version)
        }
        return key
    }
}
