import Holders
import PropertyBased
import Testing

/// Masked reads: each rule's examples, and over any text that it never traps, never answers a
/// value of more than three characters whole, and shows nothing but its part.
@Suite("Masking personal fields")
struct PersonalFieldMaskTests {
    typealias M = PersonalFieldMask

    static let rules: [(String, @Sendable (String) -> String)] = [
        ("name", M.name), ("email", M.email), ("document", M.document), ("phone", M.phone), ("addressLine", M.addressLine),
    ]

    @Test("each rule shows its part and *** for the rest")
    func examples() {
        #expect(M.name("Ada Lovelace") == "A***")
        #expect(M.email("ada.lovelace@example.com") == "a***@example.com")
        #expect(M.email("odd@local@example.com") == "o***@example.com")
        #expect(M.document("AB123456C") == "***6C")
        #expect(M.phone("+44 20 7946 0958") == "***58")
        #expect(M.addressLine("12 St James's Square") == "***")
    }

    @Test("empty stays empty; too short or malformed shows *** alone")
    func edges() {
        for (_, rule) in Self.rules { #expect(rule("") == "") }
        #expect(M.name("A") == "***")
        #expect(M.email("a@example.com") == "***@example.com")
        #expect(M.email("no-at-sign") == "***")
        #expect(M.email("@example.com") == "***")
        #expect(M.email("ada@") == "***")
        #expect(M.document("1234") == "***")
        #expect(M.phone("12-34") == "***")
        #expect(M.phone("ext. 12345") == "***45")
    }

    @Test("grapheme clusters are never cut")
    func graphemes() {
        #expect(M.name("E\u{301}mile Zola") == "E\u{301}***")
        #expect(M.name("\u{1F469}\u{200D}\u{1F467} family") == "\u{1F469}\u{200D}\u{1F467}***")
        #expect(M.document("AB12345E\u{301}") == "***5E\u{301}")
        #expect(M.email("\u{1F600}x@example.com") == "\u{1F600}***@example.com")
        #expect(M.phone("\u{0661}\u{0662}\u{0663}\u{0664}\u{0665}") == "***\u{0664}\u{0665}", "digits of any script")
    }

    @Test("over any text no rule traps, and none answers a value of more than three characters whole")
    func total() async {
        let texts = HolderKeyFixtures.anyCharacter.string(of: 0...24)
        await propertyCheck(count: 3_000, input: texts) { value in
            for (rule, mask) in Self.rules {
                let masked = mask(value)
                // A value that already holds `***` can look like its own mask ("J***"), which
                // shows no more than the rule; the containment check is for the rest.
                if value.count > 3, !value.contains("*") {
                    #expect(masked != value, "\(rule): \(value.debugDescription)")
                    #expect(!masked.contains(value), "\(rule): \(value.debugDescription) → \(masked.debugDescription)")
                }
                #expect(value.isEmpty == masked.isEmpty, "\(rule)")
            }
        }
    }

    @Test("a mask depends only on the part it shows")
    func showsOnlyItsPart() async {
        let texts = HolderKeyFixtures.anyCharacter.string(of: 0...16)
        await propertyCheck(count: 2_000, input: texts, texts, texts) { shown, hidden1, hidden2 in
            let (a, b) = (shown + hidden1, shown + hidden2)
            if a.first == b.first, a.count >= 2, b.count >= 2 {
                #expect(M.name(a) == M.name(b))
            }
            let (c, d) = (hidden1 + shown, hidden2 + shown)
            if c.suffix(2).elementsEqual(d.suffix(2)), c.count > 4, d.count > 4 {
                #expect(M.document(c) == M.document(d))
            }
            // The `@` put between them must be the last one, and one of its own: neither part
            // holds another, and a combining mark at the start of the domain would join it.
            let (e, f) = (hidden1 + "@" + shown, hidden2 + "@" + shown)
            if ![shown, hidden1, hidden2].contains(where: { $0.contains("@") }), e.contains("@"), f.contains("@"),
               e.first == f.first, hidden1.count >= 2, hidden2.count >= 2 {
                #expect(M.email(e) == M.email(f))
            }
            #expect(M.addressLine(a).isEmpty || M.addressLine(a) == M.hidden)
        }
    }
}
