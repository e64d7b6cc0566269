/// What a reader without `holders:read-pii` sees of a personal field. Each rule shows a fixed
/// small part of the value and `***` for the rest, counts in characters (grapheme clusters,
/// so an accented letter or an emoji is never cut in half), and is total: any text, empty or
/// not, malformed or not, gives an answer and never traps. An empty value stays empty (there
/// is nothing to hide); a value too short for its rule to hide most of it shows `***` alone.
/// The answer depends only on the part the rule shows.
public enum PersonalFieldMask {
    public static let hidden = "***"

    /// The first character and `***`: "Ada Lovelace" → "A***". One character → `***`.
    public static func name(_ value: String) -> String {
        guard let first = value.first else { return "" }
        return value.count >= 2 ? "\(first)\(hidden)" : hidden
    }

    /// The first character of the local part, `***@` and the domain:
    /// "ada@example.com" → "a***@example.com". A local part of one character shows none of it
    /// ("***@example.com"); text that is not an address (no `@`, nothing before or after the
    /// last one) → `***`.
    public static func email(_ value: String) -> String {
        guard !value.isEmpty else { return "" }
        guard let at = value.lastIndex(of: "@") else { return hidden }
        let local = value[..<at]
        let domain = value[value.index(after: at)...]
        guard let first = local.first, !domain.isEmpty else { return hidden }
        let shown = local.count >= 2 ? "\(first)" : ""
        return "\(shown)\(hidden)@\(domain)"
    }

    /// `***` and the last two characters: "AB123456C" → "***6C". Four characters or fewer → `***`.
    public static func document(_ value: String) -> String {
        guard !value.isEmpty else { return "" }
        return value.count > 4 ? hidden + String(value.suffix(2)) : hidden
    }

    /// `***` and the last two digits, whatever separates them: "+44 20 7946 0958" → "***58".
    /// Four digits or fewer → `***`.
    public static func phone(_ value: String) -> String {
        guard !value.isEmpty else { return "" }
        let digits = value.filter { $0.wholeNumberValue != nil }
        return digits.count > 4 ? hidden + String(digits.suffix(2)) : hidden
    }

    /// An address line, city or postcode shows nothing: `***`.
    public static func addressLine(_ value: String) -> String {
        value.isEmpty ? "" : hidden
    }
}
