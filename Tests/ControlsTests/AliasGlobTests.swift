@testable import Controls
import PropertyBased
import StrongroomKernel
import Testing

/// The alias glob: `*` alone is special, the whole alias must match, and matching is linear
/// in the alias's length for any pattern.
@Suite struct AliasGlobTests {
    /// An obviously correct matcher to hold the real one to: dynamic programming over every
    /// (pattern prefix, alias prefix) pair. Quadratic, fine for short strings.
    static func reference(_ pattern: String, _ alias: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(alias.utf8)
        var row = [Bool](repeating: false, count: t.count + 1)
        row[0] = true
        for byte in p {
            var next = [Bool](repeating: false, count: t.count + 1)
            if byte == UInt8(ascii: "*") {
                next[0] = row[0]
                for j in 1...max(t.count, 1) where j <= t.count { next[j] = row[j] || next[j - 1] }
            } else {
                for j in 1...max(t.count, 1) where j <= t.count { next[j] = row[j - 1] && t[j - 1] == byte }
            }
            row = next
        }
        return row[t.count]
    }

    @Test("examples: anchored at both ends, a star matches any run, nothing else is special")
    func examples() throws {
        let cases: [(String, String, Bool)] = [
            ("@treasury", "@treasury", true), ("@treasury", "@treasury2", false), ("@treasury*", "@treasury", true),
            ("@treasury*", "@treasury:eur", true), ("*:eur", "@ops:eur", true), ("*:eur", "@ops:eurx", false),
            ("@a*b*c", "@abc", true), ("@a*b*c", "@acb", false), ("a*a", "a", false), ("a*a", "aa", true), ("*", "", true),
            ("**", "@x", true), ("@x.y", "@x-y", false), ("@external/*", "@external/USD", true),
        ]
        for (pattern, alias, expected) in cases {
            #expect(try AliasGlob(pattern).matches(alias) == expected, "\(pattern) against \(alias)")
        }
    }

    @Test("a pattern is 1 to 128 alias characters and stars")
    func patternRules() throws {
        _ = try AliasGlob(String(repeating: "*", count: 128))
        for bad in ["", String(repeating: "a", count: 129), "@a b", "@a?", "@é", "a\n"] {
            #expect(throws: StrongroomError.self) { try AliasGlob(bad) }
            do {
                _ = try AliasGlob(bad)
            } catch {
                #expect(error.code == .invalidValue)
                #expect(error.fields.map(\.field) == ["source_alias"])
            }
        }
    }

    @Test("agrees with the reference matcher on every pattern and alias drawn")
    func agreesWithReference() async {
        let patterns = Gen.element(of: ["a", "b", "*"]).array(of: 1...10).map { $0.compactMap { $0 }.joined() }
        let aliases = Gen.element(of: ["a", "b"]).array(of: 0...20).map { $0.compactMap { $0 }.joined() }
        await propertyCheck(count: 5_000, input: patterns, aliases) { pattern, alias in
            let glob = try AliasGlob(pattern)
            #expect(glob.matches(alias) == Self.reference(pattern, alias), "\(pattern) against \(alias)")
        }
    }

    @Test("linear in the alias: *a*a…*b against long runs of a costs at most two steps per byte")
    func linearTime() async {
        let stars = Gen.int(in: 1...12)
        let lengths = Gen.int(in: 1...20_000)
        await propertyCheck(count: 200, input: stars, lengths, Gen.bool()) { count, length, trailing in
            // With a trailing star the `b` is a middle piece, searched for across the alias.
            let pattern = String(repeating: "*a", count: count) + (trailing ? "*b*" : "*b")
            let glob = try AliasGlob(pattern)
            var steps = 0
            let matched = glob.matches(Array(String(repeating: "a", count: length).utf8), steps: &steps)
            #expect(!matched)
            #expect(steps <= 2 * length + pattern.utf8.count, "\(pattern) over \(length) bytes took \(steps) steps")
        }
        // The case a backtracking matcher never finishes: a megabyte of `a`.
        var steps = 0
        let glob = try? AliasGlob("*a*a*a*a*a*a*a*a*a*a*b*")
        #expect(glob?.matches(Array(String(repeating: "a", count: 1 << 20).utf8), steps: &steps) == false)
        #expect(steps <= 2 * (1 << 20) + 64)
    }

    @Test("linear for any pattern: at most two steps per alias byte plus the pattern's length")
    func linearForAnyPattern() async {
        let patterns = Gen.element(of: ["a", "b", "ab", "aab", "*"]).array(of: 1...40).map { String($0.compactMap { $0 }.joined().prefix(128)) }
        let aliases = Gen.element(of: ["a", "b", "aa", "ab"]).array(of: 0...3_000).map { $0.compactMap { $0 }.joined() }
        await propertyCheck(count: 300, input: patterns, aliases) { pattern, alias in
            let glob = try AliasGlob(pattern)
            var steps = 0
            _ = glob.matches(Array(alias.utf8), steps: &steps)
            #expect(steps <= 2 * alias.utf8.count + pattern.utf8.count, "\(pattern) over \(alias.utf8.count) bytes took \(steps) steps")
        }
    }
}
