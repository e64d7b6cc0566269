import Foundation
import Testing

/// No input may trap the server (issue 20: a scale-18 amount once killed the process with an
/// arithmetic overflow). Every trap site in `Sources/` is either gone or listed, with the reason
/// it cannot be reached by a value from outside, in `TrapAllowlist`: a new `try!`, force unwrap,
/// forced cast, `precondition` or trapping integer conversion fails this suite until it is
/// rewritten as a checked operation or justified there.
@Suite struct TrapSiteTests {
    @Test("every trap site in Sources/ is on the allowlist, and every entry still matches one")
    func sourcesHaveOnlyAllowedTrapSites() throws {
        let root = try PackageGraph.packageRoot()
        let sources = root.appending(path: "Sources")
        let paths = FileManager.default.enumerator(atPath: sources.path(percentEncoded: false))?
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted() ?? []
        #expect(paths.count > 50, "Sources/ was not found where expected")
        var used = Set<Int>()
        var unlisted: [String] = []
        for relative in paths {
            let path = "Sources/\(relative)"
            let source = try String(contentsOf: sources.appending(path: relative), encoding: .utf8)
            for finding in TrapScanner.findings(in: source) {
                let matches = TrapAllowlist.entries.indices.filter { TrapAllowlist.entries[$0].allows(finding, in: path) }
                if matches.isEmpty {
                    unlisted.append("\(path):\(finding)")
                }
                used.formUnion(matches)
            }
        }
        for site in unlisted {
            Issue.record("a trap site that input might reach; make it a checked operation, or add it to TrapAllowlist with the reason it cannot trap: \(site)")
        }
        for (index, entry) in TrapAllowlist.entries.enumerated() where !used.contains(index) {
            Issue.record("TrapAllowlist entry matches no trap site any more; remove it: \(entry.path) | \(entry.code)")
        }
        #expect(TrapAllowlist.entries.allSatisfy { $0.reason.count >= 8 }, "every allowlist entry says why")
    }

    @Test("the scanner finds each kind of trap site", arguments: [
        ("let x = try! decode()", [TrapScanner.Kind.tryBang]),
        ("let y = value as! String", [.forcedCast]),
        ("let z = table[key]!", [.forceUnwrap]),
        ("return first!.count", [.forceUnwrap]),
        ("let name = Self(\"X-Id\")!", [.forceUnwrap]),
        ("precondition(count > 0)", [.trappingCall]),
        ("fatalError(\"no\")", [.trappingCall]),
        ("value = value * 10 + Int128(byte - 48)", [.conversion]),
        ("let n = Int32(text.utf8.count)", [.conversion]),
        ("let d = Int64(seconds * 1e9)", [.conversion]),
        ("let s = \"\\(Int8(v))\"", [.conversion]),
    ])
    func findsTrapSites(line: String, expected: [TrapScanner.Kind]) {
        #expect(TrapScanner.findings(in: line).map(\.kind) == expected)
    }

    @Test("the scanner lets through what cannot trap", arguments: [
        "if a != b { return !flag }",
        "guard let value = Int(text), value > 0 else { return nil }",
        "let limit = Int64(text) ?? 10",
        "if let n = UInt64(header), n < 5 {}",
        "let m = Int128(exactly: d)",
        "let b = UInt8(truncatingIfNeeded: v)",
        "let c = UInt8(ascii: \"0\")",
        "let zero = Int128(0)",
        "// try! in a comment, x!",
        "let text = \"try! and x! in a string\"",
        "let a = Int(clamping: big)",
        "x.precondition(y)",
    ])
    func ignoresSafeCode(line: String) {
        #expect(TrapScanner.findings(in: line).isEmpty)
    }
}
