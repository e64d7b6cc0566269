import Crypto
import StrongroomKernel

/// The keyed index that finds a holder by an exact email or document number without storing
/// either in clear: HMAC-SHA256, under the organization's index key, of the field's kind and
/// its normalised value, as 64 hex digits. Equal values (after normalising) give equal terms
/// within one organization; another organization's key gives unrelated terms, and without the
/// key a term cannot be checked against guesses.
///
/// Normalising, so the spellings a person means as one value find one holder:
/// - **email**: surrounding white space removed, lower-cased, Unicode NFC. The whole address
///   is lower-cased, local part included: providers that tell case apart there are rare, and
///   a look-up that misses a holder is worse than two addresses sharing a term.
/// - **document**: upper-cased, every white space, hyphen (`-`, U+2010, U+2011), dot and
///   slash removed, Unicode NFC: the punctuation national formats print (a CPF's
///   `123.456.789-09`, a passport number typed with spaces) is no part of the number.
public struct BlindIndex: Sendable {
    public enum Field: String, Sendable, CaseIterable {
        case email
        case document
    }

    /// The index key's version: a term is only ever compared with terms of the same version.
    public let version: KeyVersion
    private let key: SymmetricKey

    public init(key: SymmetricKey, version: KeyVersion) {
        self.key = key
        self.version = version
    }

    /// The term the store keeps beside the sealed field and looks up by.
    public func term(_ value: String, as field: Field) -> String {
        // The kind is bound too, so an email's term never equals a document's.
        let message = BoundContext.bytes("strongroom.holders.blind-index", [
            Array(field.rawValue.utf8), Array(Self.normalised(value, as: field).utf8),
        ])
        return Hex.string(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }

    public static func normalised(_ value: String, as field: Field) -> String {
        switch field {
        // NFC last: changing case or dropping a character can leave text that composes
        // differently, and the term must be the same for every spelling of one value.
        case .email:
            nfc(trimmed(value).lowercased())
        case .document:
            nfc(String(value.uppercased().filter { !isDocumentPunctuation($0) }))
        }
    }

    /// The standard library's own NFC, the one `==` compares strings by. Not Foundation's
    /// `precomposedStringWithCanonicalMapping`: on Linux it composes a starter outside the
    /// Basic Multilingual Plane with a following mark as if the starter were its low 16 bits
    /// (U+F004B U+0301 became U+1E30, "Ḱ"), so unrelated values would share a term; the
    /// property test over any text found it.
    private static func nfc(_ text: String) -> String {
        String(decoding: text._nfcCodeUnits, as: UTF8.self)
    }

    private static func trimmed(_ text: String) -> Substring {
        let start = text.drop { $0.isWhitespace }
        guard let last = start.lastIndex(where: { !$0.isWhitespace }) else { return start[start.startIndex..<start.startIndex] }
        return start[...last]
    }

    private static let documentSeparators: Set<Character> = ["-", "\u{2010}", "\u{2011}", ".", "/"]

    private static func isDocumentPunctuation(_ character: Character) -> Bool {
        character.isWhitespace || documentSeparators.contains(character)
    }
}
