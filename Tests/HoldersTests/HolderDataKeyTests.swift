import Holders
import Secrets
import StrongroomKernel
import Testing

/// Organization keys sealed under the master key, and a holder's data key wrapped by its
/// organization's key-encryption key: each binding (holder, organization, key versions, the
/// master key) refuses when it is broken, and so does every altered byte.
@Suite("Holder data keys")
struct HolderDataKeyTests {
    typealias F = HolderKeyFixtures

    /// Whether `key` opens what `reference` sealed: the only way to compare keys, which never
    /// show their bytes.
    static func same(_ key: HolderDataKey, as reference: HolderDataKey) throws -> Bool {
        let sealed = try FieldSealer(holderID: F.holder, dataKey: reference).seal("probe", as: PersonalFieldName("name"))
        return (try? FieldSealer(holderID: F.holder, dataKey: key).open(sealed, as: PersonalFieldName("name"))) == "probe"
    }

    @Test("a wrapped data key unwraps to the same key for its holder and organization, also from its stored bytes")
    func roundTrip() throws {
        let provider = try F.provider()
        let key = HolderDataKey.generate()
        let wrapped = try key.wrapped(holderID: F.holder, organizationID: F.organizationA, by: provider)
        #expect(wrapped.keyEncryptionKeyVersion == .first)
        #expect(wrapped.dataKeyVersion == .first)
        let stored = try WrappedDataKey(encoded: wrapped.encoded)
        #expect(stored == wrapped)
        let unwrapped = try stored.unwrap(holderID: F.holder, organizationID: F.organizationA, by: provider)
        #expect(try Self.same(unwrapped, as: key))
        #expect(try !Self.same(HolderDataKey.generate(), as: key))
    }

    @Test("a wrapped key moved to another holder or organization does not open")
    func bindings() throws {
        let provider = try F.provider()
        let wrapped = try F.dataKey().wrapped(holderID: F.holder, organizationID: F.organizationA, by: provider)
        #expect(throws: HolderSealingError.dataKeyDoesNotOpen) {
            try wrapped.unwrap(holderID: F.otherHolder, organizationID: F.organizationA, by: provider)
        }
        #expect(throws: HolderSealingError.dataKeyDoesNotOpen) {
            try wrapped.unwrap(holderID: F.holder, organizationID: F.organizationB, by: provider)
        }
        #expect(throws: HolderSealingError.noKeyEncryptionKey(organizationID: "other", version: .first)) {
            try wrapped.unwrap(holderID: F.holder, organizationID: "other", by: provider)
        }
        #expect(throws: HolderSealingError.noKeyEncryptionKey(organizationID: "other", version: nil)) {
            try F.dataKey().wrapped(holderID: F.holder, organizationID: "other", by: provider)
        }
    }

    @Test("either version in the stored form, changed, refuses; every altered byte refuses")
    func tampering() throws {
        let version2 = try #require(KeyVersion.first.next)
        let provider = try F.provider().adding(
            SealedOrganizationKey.generate(.keyEncryption, organizationID: F.organizationA, version: version2, sealingWith: F.box)
        )
        // Wrapped under version 2, now the newest; version 1 is still there to be tried.
        let wrapped = try F.dataKey().wrapped(holderID: F.holder, organizationID: F.organizationA, by: provider)
        #expect(wrapped.keyEncryptionKeyVersion == version2)
        var encoded = wrapped.encoded
        encoded[4] = 1  // the KEK version, 2 → 1
        #expect(throws: HolderSealingError.dataKeyDoesNotOpen) {
            try WrappedDataKey(encoded: encoded).unwrap(holderID: F.holder, organizationID: F.organizationA, by: provider)
        }
        encoded = wrapped.encoded
        encoded[8] = 2  // the data key version, 1 → 2
        #expect(throws: HolderSealingError.dataKeyDoesNotOpen) {
            try WrappedDataKey(encoded: encoded).unwrap(holderID: F.holder, organizationID: F.organizationA, by: provider)
        }
        for index in 9..<wrapped.encoded.count {
            var altered = wrapped.encoded
            altered[index] ^= 0x01
            #expect(throws: HolderSealingError.dataKeyDoesNotOpen) {
                try WrappedDataKey(encoded: altered).unwrap(holderID: F.holder, organizationID: F.organizationA, by: provider)
            }
        }
    }

    @Test("a rotation wraps new keys under the newest version, keeps the old ones readable, and re-wraps them")
    func rotation() throws {
        let before = try F.provider()
        let key = F.dataKey()
        let old = try key.wrapped(holderID: F.holder, organizationID: F.organizationA, by: before)
        let version2 = try #require(KeyVersion.first.next)
        let after = try before.adding(
            SealedOrganizationKey.generate(.keyEncryption, organizationID: F.organizationA, version: version2, sealingWith: F.box)
        )
        #expect(try after.currentKeyEncryptionKeyVersion(organizationID: F.organizationA) == version2)
        #expect(try after.currentKeyEncryptionKeyVersion(organizationID: F.organizationB) == .first)
        #expect(try Self.same(old.unwrap(holderID: F.holder, organizationID: F.organizationA, by: after), as: key))
        let rewrapped = try old.rewrapped(holderID: F.holder, organizationID: F.organizationA, by: after)
        #expect(rewrapped.keyEncryptionKeyVersion == version2)
        #expect(try Self.same(rewrapped.unwrap(holderID: F.holder, organizationID: F.organizationA, by: after), as: key))
        // The old provider never had version 2.
        #expect(throws: HolderSealingError.noKeyEncryptionKey(organizationID: F.organizationA, version: version2)) {
            try rewrapped.unwrap(holderID: F.holder, organizationID: F.organizationA, by: before)
        }
    }

    @Test("a sealed organization key opens only for its organization, kind and version, under its master key")
    func organizationKeyBindings() throws {
        let key = try SealedOrganizationKey.generate(.keyEncryption, organizationID: F.organizationA, version: .first, sealingWith: F.box)
        #expect(throws: Never.self) { try MasterKeyProvider(secretBox: F.box, sealedKeys: [key]) }
        let version2 = try #require(KeyVersion.first.next)
        let moved = [
            SealedOrganizationKey(organizationID: F.organizationB, kind: .keyEncryption, version: .first, sealed: key.sealed),
            SealedOrganizationKey(organizationID: F.organizationA, kind: .blindIndex, version: .first, sealed: key.sealed),
            SealedOrganizationKey(organizationID: F.organizationA, kind: .keyEncryption, version: version2, sealed: key.sealed),
        ]
        for row in moved {
            #expect(throws: HolderSealingError.organizationKeyDoesNotOpen(organizationID: row.organizationID, kind: row.kind, version: row.version)) {
                try MasterKeyProvider(secretBox: F.box, sealedKeys: [row])
            }
        }
        let otherBox = SecretBox(masterKey: MasterKey.generate())
        #expect(throws: HolderSealingError.organizationKeyDoesNotOpen(organizationID: F.organizationA, kind: .keyEncryption, version: .first)) {
            try MasterKeyProvider(secretBox: otherBox, sealedKeys: [key])
        }
        #expect(throws: HolderSealingError.duplicateOrganizationKey(organizationID: F.organizationA, kind: .keyEncryption, version: .first)) {
            try MasterKeyProvider(secretBox: F.box, sealedKeys: [key, key])
        }
    }

    @Test("stored forms that are not a wrapped key are refused as malformed")
    func malformed() throws {
        let good = try F.dataKey().wrapped(holderID: F.holder, organizationID: F.organizationA, by: F.provider()).encoded
        let bad: [[UInt8]] = [
            [], [1], Array(good.prefix(9)), [2] + good.dropFirst(), [1, 0, 0, 0, 0] + good.dropFirst(5),
            Array(good.prefix(5)) + [0, 0, 0, 0] + good.dropFirst(9), good + [UInt8](repeating: 0, count: WrappedDataKey.maxEncodedBytes),
        ]
        for bytes in bad {
            #expect(throws: HolderSealingError.malformedWrappedDataKey) { try WrappedDataKey(encoded: bytes) }
        }
    }

    @Test("a data key never shows its bytes")
    func redacted() throws {
        let key = F.dataKey()
        let hex = Hex.string((0..<32).map { 7 &+ UInt8($0) })
        for text in [String(describing: key), String(reflecting: key), "\(key)"] {
            #expect(!text.contains(hex.prefix(8)))
        }
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains(hex.prefix(8)))
        #expect(!dumped.contains("SymmetricKey"))
    }
}
