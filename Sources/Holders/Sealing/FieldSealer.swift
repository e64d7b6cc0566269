import Crypto

/// Seals and opens one holder's personal fields under the holder's data key. Each seal is
/// AES-256-GCM with a fresh random nonce, and its associated data binds the format version,
/// the holder id, the field name and the data key's version: a sealed value moved to another
/// holder or another field, or opened with another key or key version, fails with
/// `fieldDoesNotOpen`, as does any altered byte. Errors never carry the value.
public struct FieldSealer: Sendable {
    /// The longest value sealed, in bytes of UTF-8: far beyond any name, address line or
    /// document number, and a bound on what one field can cost to store and open.
    public static let maxValueBytes = 16_384

    public let holderID: String
    private let dataKey: HolderDataKey

    public init(holderID: String, dataKey: HolderDataKey) {
        self.holderID = holderID
        self.dataKey = dataKey
    }

    public func seal(_ value: String, as field: PersonalFieldName) throws(HolderSealingError) -> SealedField {
        let plaintext = Array(value.utf8)
        guard plaintext.count <= Self.maxValueBytes else { throw .valueTooLong(field, limitBytes: Self.maxValueBytes) }
        guard let box = try? AES.GCM.seal(plaintext, using: dataKey.key, authenticating: associatedData(field, version: dataKey.version))
        else { throw .sealingFailed }
        return SealedField(dataKeyVersion: dataKey.version, nonce: Array(box.nonce), ciphertext: Array(box.ciphertext), tag: Array(box.tag))
    }

    public func open(_ sealed: SealedField, as field: PersonalFieldName) throws(HolderSealingError) -> String {
        // A field sealed under another version of the holder's key needs that key; the
        // version is bound as well, so a stored version that was altered fails below.
        guard sealed.dataKeyVersion == dataKey.version,
              let box = try? AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: sealed.nonce), ciphertext: sealed.ciphertext, tag: sealed.tag),
              let plaintext = try? AES.GCM.open(box, using: dataKey.key, authenticating: associatedData(field, version: sealed.dataKeyVersion)),
              let value = String(validating: plaintext, as: UTF8.self)
        else { throw .fieldDoesNotOpen(field) }
        return value
    }

    private func associatedData(_ field: PersonalFieldName, version: KeyVersion) -> [UInt8] {
        BoundContext.bytes("strongroom.holders.field", [
            [SealedField.formatVersion], Array(holderID.utf8), Array(field.rawValue.utf8), version.bytes,
        ])
    }
}
