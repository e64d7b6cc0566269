import Foundation
import Holders
import PropertyBased
import Testing

/// Personal fields sealed under a holder's data key: they open only for their holder, field
/// and key, any altered byte refuses, and neither the stored form nor any error shows the value.
@Suite("Sealed personal fields")
struct FieldSealerTests {
    typealias F = HolderKeyFixtures
    static let name = PersonalFieldName("name")
    static let email = PersonalFieldName("contact.primaryEmail")
    static let value = "Ada Lovelace, 12 St James's Square"

    static let sealer = FieldSealer(holderID: F.holder, dataKey: F.dataKey())

    @Test("a value opens as sealed, from its bytes and from its text; two seals of one value differ")
    func roundTrip() throws {
        let sealed = try Self.sealer.seal(Self.value, as: Self.name)
        #expect(try Self.sealer.open(sealed, as: Self.name) == Self.value)
        #expect(try Self.sealer.open(SealedField(bytes: sealed.bytes), as: Self.name) == Self.value)
        #expect(try Self.sealer.open(SealedField(text: sealed.text), as: Self.name) == Self.value)
        #expect(sealed.bytes.count == 1 + 4 + 12 + Self.value.utf8.count + 16)
        #expect(try Self.sealer.seal(Self.value, as: Self.name) != sealed)
        #expect(try Self.sealer.open(Self.sealer.seal("", as: Self.name), as: Self.name) == "")
    }

    @Test("a sealed value does not open for another holder, as another field, or under another key")
    func bindings() throws {
        let sealed = try Self.sealer.seal(Self.value, as: Self.name)
        #expect(throws: HolderSealingError.fieldDoesNotOpen(Self.name)) {
            try FieldSealer(holderID: F.otherHolder, dataKey: F.dataKey()).open(sealed, as: Self.name)
        }
        #expect(throws: HolderSealingError.fieldDoesNotOpen(Self.email)) {
            try Self.sealer.open(sealed, as: Self.email)
        }
        #expect(throws: HolderSealingError.fieldDoesNotOpen(Self.name)) {
            try FieldSealer(holderID: F.holder, dataKey: F.dataKey(8)).open(sealed, as: Self.name)
        }
        #expect(throws: HolderSealingError.fieldDoesNotOpen(Self.name)) {
            try FieldSealer(holderID: F.holder, dataKey: HolderDataKey.generate()).open(sealed, as: Self.name)
        }
    }

    @Test("the key version is bound: the same key bytes at another version refuse, even when the stored version is changed to match")
    func keyVersion() throws {
        let version2 = try #require(KeyVersion.first.next)
        let sealed = try Self.sealer.seal(Self.value, as: Self.name)
        let sameBytesVersion2 = FieldSealer(holderID: F.holder, dataKey: F.dataKey(version: version2))
        #expect(throws: HolderSealingError.fieldDoesNotOpen(Self.name)) { try sameBytesVersion2.open(sealed, as: Self.name) }
        var bytes = sealed.bytes
        bytes[4] = 2
        let relabelled = try SealedField(bytes: bytes)
        #expect(relabelled.dataKeyVersion == version2)
        #expect(throws: HolderSealingError.fieldDoesNotOpen(Self.name)) { try sameBytesVersion2.open(relabelled, as: Self.name) }
    }

    @Test("every altered byte of the nonce, ciphertext or tag refuses")
    func tampering() throws {
        let sealed = try Self.sealer.seal(Self.value, as: Self.name).bytes
        for index in 5..<sealed.count {
            var altered = sealed
            altered[index] ^= 0x80
            #expect(throws: HolderSealingError.fieldDoesNotOpen(Self.name)) {
                try Self.sealer.open(SealedField(bytes: altered), as: Self.name)
            }
        }
        // Cut short by one byte: still long enough to parse, and refused.
        #expect(throws: HolderSealingError.fieldDoesNotOpen(Self.name)) {
            try Self.sealer.open(SealedField(bytes: Array(sealed.dropLast())), as: Self.name)
        }
    }

    @Test("stored forms that are not a sealed field are refused as malformed")
    func malformed() throws {
        let good = try Self.sealer.seal("x", as: Self.name).bytes
        let bad: [[UInt8]] = [
            [], Array(good.prefix(32)), [2] + good.dropFirst(), [1, 0, 0, 0, 0] + good.dropFirst(5),
            [UInt8](repeating: 1, count: SealedField.maxEncodedBytes + 1),
        ]
        for bytes in bad {
            #expect(throws: HolderSealingError.malformedSealedField) { try SealedField(bytes: bytes) }
        }
        for text in ["", "not base64!", "AAAA", String(repeating: "A", count: 4 * (SealedField.maxEncodedBytes / 3 + 2))] {
            #expect(throws: HolderSealingError.malformedSealedField) { try SealedField(text: text) }
        }
    }

    @Test("a value over the limit is refused, one at the limit is sealed")
    func limit() throws {
        let atLimit = String(repeating: "é", count: FieldSealer.maxValueBytes / 2)
        #expect(try Self.sealer.open(Self.sealer.seal(atLimit, as: Self.name), as: Self.name) == atLimit)
        #expect(throws: HolderSealingError.valueTooLong(Self.name, limitBytes: FieldSealer.maxValueBytes)) {
            try Self.sealer.seal(atLimit + "a", as: Self.name)
        }
    }

    @Test("neither the stored form nor any error's description shows the value")
    func noPlaintext() throws {
        let sealed = try Self.sealer.seal(Self.value, as: Self.name)
        #expect(!Data(sealed.bytes).contains(Data(Self.value.utf8).prefix(8)))
        #expect(!sealed.text.contains("Ada"))
        var errors: [HolderSealingError] = []
        for attempt in [
            { try FieldSealer(holderID: F.otherHolder, dataKey: F.dataKey()).open(sealed, as: Self.name) },
            { try Self.sealer.open(sealed, as: Self.email) },
            { try Self.sealer.open(SealedField(bytes: Array(sealed.bytes.dropLast(20))), as: Self.name) },
            { try Self.sealer.open(SealedField(text: Self.value), as: Self.name) },
            { try Self.sealer.seal(String(repeating: Self.value, count: 1_000), as: Self.name).text },
        ] as [() throws -> String] {
            do {
                _ = try attempt()
                Issue.record("expected a refusal")
            } catch let error as HolderSealingError {
                errors.append(error)
            }
        }
        #expect(errors.count == 5)
        for error in errors {
            for text in [String(describing: error), String(reflecting: error), error.localizedDescription] {
                #expect(!text.contains("Ada"), "\(text)")
                #expect(!text.contains("Lovelace"), "\(text)")
            }
        }
    }

    @Test("any text round-trips through the stored text, and opens as no other field")
    func anyTextRoundTrips() async {
        let texts = F.anyCharacter.string(of: 0...40)
        await propertyCheck(count: 1_000, input: texts) { value in
            let sealed = try Self.sealer.seal(value, as: Self.email)
            #expect(try Self.sealer.open(SealedField(text: sealed.text), as: Self.email) == value)
            #expect(throws: HolderSealingError.fieldDoesNotOpen(Self.name)) { try Self.sealer.open(sealed, as: Self.name) }
        }
    }
}
