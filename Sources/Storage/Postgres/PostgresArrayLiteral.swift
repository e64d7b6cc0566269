/// A PostgreSQL array literal (`{"a","b"}`), bound as one text parameter and cast in the
/// statement (`$1::text[]`): how a statement takes a list of any length through one
/// parameter, so its text stays the same whatever the length.
enum PostgresArrayLiteral {
    /// `texts` as a literal of `text[]`: every element quoted, with `\` and `"` escaped,
    /// so no element is read as NULL, split at a comma or trimmed.
    static func text(_ texts: some Sequence<String>) -> String {
        var literal = "{"
        for text in texts {
            if literal.count > 1 { literal += "," }
            literal += "\""
            for character in text.unicodeScalars {
                if character == "\\" || character == "\"" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return literal + "}"
    }
}
