import StrongroomKernel

/// A pattern over account aliases in which `*` stands for any run of characters (none
/// included) and every other character stands for itself: `@treasury*`, `*:payroll`,
/// `@client-*-eur`. Nothing else is special, so no alias needs escaping.
///
/// Matching takes time linear in the alias's length whatever the pattern: the pattern is
/// cut at its stars into literal pieces, the first must start the alias and the last end it,
/// and each piece between is found at its leftmost place after the one before (leftmost is
/// always safe with `*` alone: a later place leaves less room, never more). Each piece is
/// found with Knuth–Morris–Pratt, so no byte of the alias is compared more than a bounded
/// number of times, and `*a*a*a*a*b` against a megabyte of `a` costs what one pass does.
/// Bytes are compared as UTF-8: a valid piece found in a valid alias always starts and ends
/// on a character boundary, so this is matching by characters too.
public struct AliasGlob: Sendable, Hashable, CustomStringConvertible {
    public static let maxCharacters = 128

    /// The pattern as written.
    public let pattern: String
    /// The literal pieces between the stars, first to last (empty pieces kept, so a leading
    /// or trailing star shows as an empty first or last piece).
    private let pieces: [[UInt8]]
    /// Each middle piece's KMP failure table, built once per pattern.
    private let failures: [[Int]]

    /// The pattern, or a field message saying why it is not one: 1 to `maxCharacters`
    /// characters of what an alias may hold (letters, digits, `@ : _ . - /`) and `*`.
    public init(_ pattern: String) throws(StrongroomError) {
        guard !pattern.isEmpty else { throw .controlRuleField("source_alias", "must not be empty") }
        guard pattern.count <= Self.maxCharacters else {
            throw .controlRuleField("source_alias", "must be at most \(Self.maxCharacters) characters")
        }
        guard pattern.utf8.allSatisfy(Self.isPatternByte) else {
            throw .controlRuleField("source_alias", "may hold only letters, digits, '@', ':', '_', '.', '-', '/' and '*'")
        }
        self.pattern = pattern
        let split = Array(pattern.utf8).split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false).map(Array.init)
        self.pieces = split
        self.failures = split.map(Self.failureTable)
    }

    public var description: String { pattern }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    /// Whether `alias` matches the whole pattern.
    public func matches(_ alias: String) -> Bool {
        var steps = 0
        return matches(Array(alias.utf8), steps: &steps)
    }

    /// The matcher, counting the byte comparisons it makes so a test can hold it to linear
    /// time without a stopwatch.
    func matches(_ text: [UInt8], steps: inout Int) -> Bool {
        guard let first = pieces.first, let last = pieces.last else { return false }
        // No star: the alias is the pattern.
        guard pieces.count > 1 else {
            steps += text.count
            return text == first
        }
        // The first piece anchors the start and the last the end; they may not overlap.
        guard text.count >= first.count + last.count else { return false }
        steps += first.count + last.count
        guard text.starts(with: first), text[(text.count - last.count)...].elementsEqual(last) else { return false }
        var position = first.count
        let end = text.count - last.count
        for index in pieces.indices.dropFirst().dropLast() {
            let piece = pieces[index]
            guard !piece.isEmpty else { continue }
            guard let found = Self.find(piece, failure: failures[index], in: text, from: position, to: end, steps: &steps) else {
                return false
            }
            position = found + piece.count
        }
        return true
    }

    /// The leftmost place in `text[from..<to]` where `piece` starts, by Knuth–Morris–Pratt.
    private static func find(_ piece: [UInt8], failure: [Int], in text: [UInt8], from: Int, to: Int, steps: inout Int) -> Int? {
        var matched = 0
        var index = from
        while index < to {
            steps += 1
            if text[index] == piece[matched] {
                matched += 1
                index += 1
                if matched == piece.count { return index - matched }
            } else if matched > 0 {
                matched = failure[matched - 1]
            } else {
                index += 1
            }
        }
        return nil
    }

    /// For each prefix of `piece`, the length of its longest proper prefix that is also its
    /// suffix: where a partial match resumes after a mismatch.
    private static func failureTable(_ piece: [UInt8]) -> [Int] {
        var table = [Int](repeating: 0, count: piece.count)
        var length = 0
        var index = 1
        while index < piece.count {
            if piece[index] == piece[length] {
                length += 1
                table[index] = length
                index += 1
            } else if length > 0 {
                length = table[length - 1]
            } else {
                index += 1
            }
        }
        return table
    }

    private static func isPatternByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "@"), UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "*"): true
        default: false
        }
    }
}
