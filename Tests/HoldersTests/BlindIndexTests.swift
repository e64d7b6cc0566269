import Crypto
import Foundation
import Holders
import PropertyBased
import Testing

/// The keyed look-up terms for emails and document numbers.
@Suite("Blind index")
struct BlindIndexTests {
    typealias F = HolderKeyFixtures

    @Test("a term is 64 hex digits, the same for the same value, and differs per organization and per value")
    func deterministic() throws {
        let provider = try F.provider()
        let a = try provider.blindIndex(organizationID: F.organizationA)
        let b = try provider.blindIndex(organizationID: F.organizationB)
        let term = a.term("ada@example.com", as: .email)
        #expect(term.count == 64 && term.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(try F.provider().blindIndex(organizationID: F.organizationA).term("ada@example.com", as: .email) != term,
                "a new provider made new random keys")
        #expect(a.term("ada@example.com", as: .email) == term)
        #expect(b.term("ada@example.com", as: .email) != term)
        #expect(a.term("ada@example.org", as: .email) != term)
        #expect(throws: HolderSealingError.noBlindIndexKey(organizationID: "other")) { try provider.blindIndex(organizationID: "other") }
    }

    @Test("the same key gives the same terms; the field's kind is bound")
    func keyed() {
        let index = BlindIndex(key: SymmetricKey(data: [UInt8](repeating: 3, count: 32)), version: .first)
        let again = BlindIndex(key: SymmetricKey(data: [UInt8](repeating: 3, count: 32)), version: .first)
        let other = BlindIndex(key: SymmetricKey(data: [UInt8](repeating: 4, count: 32)), version: .first)
        #expect(index.term("AB123456", as: .document) == again.term("AB123456", as: .document))
        #expect(index.term("AB123456", as: .document) != other.term("AB123456", as: .document))
        // Digits normalise alike as either kind; only the bound kind tells the terms apart.
        #expect(BlindIndex.normalised("12345678", as: .email) == BlindIndex.normalised("12345678", as: .document))
        #expect(index.term("12345678", as: .email) != index.term("12345678", as: .document))
    }

    @Test("emails are trimmed, put in NFC and lower-cased before they are hashed")
    func emailNormalisation() {
        #expect(BlindIndex.normalised("  Ada.Lovelace@Example.COM\n", as: .email) == "ada.lovelace@example.com")
        #expect(BlindIndex.normalised("Ade\u{301}le@example.com", as: .email).unicodeScalars.elementsEqual("ad\u{E9}le@example.com".unicodeScalars))
        #expect(BlindIndex.normalised("a b@example.com", as: .email) == "a b@example.com", "inner spaces are kept")
        let index = BlindIndex(key: SymmetricKey(data: [UInt8](repeating: 3, count: 32)), version: .first)
        #expect(index.term(" ADA@example.com ", as: .email) == index.term("ada@example.com", as: .email))
        #expect(index.term("Ade\u{301}le@example.com", as: .email) == index.term("ad\u{E9}le@example.com", as: .email))
        // Foundation's NFC on Linux composed U+F004B U+0301 into U+1E30, as if it were K.
        #expect(BlindIndex.normalised("\u{F004B}\u{301}", as: .email).unicodeScalars.elementsEqual("\u{F004B}\u{301}".unicodeScalars))
        #expect(index.term("\u{F004B}\u{301}", as: .email) != index.term("k\u{301}", as: .email))
        #expect(index.term("\u{90041}\u{301}", as: .email) != index.term("a\u{301}", as: .email))
        #expect(index.term("\u{90041}\u{301}", as: .document) != index.term("A\u{301}", as: .document))
    }

    @Test("document numbers are upper-cased and lose white space, hyphens, dots and slashes")
    func documentNormalisation() {
        #expect(BlindIndex.normalised("123.456.789-09", as: .document) == "12345678909")
        #expect(BlindIndex.normalised(" ab 12\u{2010}34/56 c\t", as: .document) == "AB123456C")
        #expect(BlindIndex.normalised("12.345.678/0001-90", as: .document) == "12345678000190")
        let index = BlindIndex(key: SymmetricKey(data: [UInt8](repeating: 3, count: 32)), version: .first)
        #expect(index.term("ab-12 34 56-c", as: .document) == index.term("AB123456C", as: .document))
        #expect(index.term("AB123456D", as: .document) != index.term("AB123456C", as: .document))
    }

    @Test("the newest index key version is used")
    func newestVersion() throws {
        let version2 = try #require(KeyVersion.first.next)
        let provider = try F.provider()
        let rotated = try provider.adding(
            SealedOrganizationKey.generate(.blindIndex, organizationID: F.organizationA, version: version2, sealingWith: F.box)
        )
        let index = try rotated.blindIndex(organizationID: F.organizationA)
        #expect(index.version == version2)
        #expect(index.term("x@y.z", as: .email) != (try provider.blindIndex(organizationID: F.organizationA)).term("x@y.z", as: .email))
    }

    @Test("over any text, normalising twice changes nothing, and composed and decomposed spellings give one term")
    func normalisationIsStable() async {
        let index = BlindIndex(key: SymmetricKey(data: [UInt8](repeating: 3, count: 32)), version: .first)
        let texts = HolderKeyFixtures.anyCharacter.string(of: 0...20)
        await propertyCheck(count: 2_000, input: texts) { value in
            for field in BlindIndex.Field.allCases {
                let once = BlindIndex.normalised(value, as: field)
                #expect(BlindIndex.normalised(once, as: field).unicodeScalars.elementsEqual(once.unicodeScalars), "\(field): \(value.debugDescription)")
                // Foundation's spellings are only a source of variants here, not the judge of
                // equivalence: on Linux it composes a supplementary-plane starter by its low 16
                // bits (U+90041 U+0301 as if it were A U+0301). The standard library's `==` is.
                for spelling in [value.decomposedStringWithCanonicalMapping, value.precomposedStringWithCanonicalMapping]
                where spelling == value {
                    #expect(index.term(spelling, as: field) == index.term(value, as: field), "\(field): \(value.debugDescription)")
                }
            }
        }
    }
}
