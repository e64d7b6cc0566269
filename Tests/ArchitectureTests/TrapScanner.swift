/// Finds the places in a Swift source file where the process can trap on a value: `try!`,
/// `as!`, a force unwrap, a call that stops the process (`precondition`, `fatalError`, …), and
/// an unlabeled integer conversion, which traps when the value does not fit the new type.
///
/// Not a parser: it reads code with comments and string literals blanked (interpolations kept),
/// as `ImportScanner` does. Two kinds of conversion are let through because they cannot trap: a
/// conversion whose argument is an integer literal (the compiler checks it), and the failable
/// parse of text (`Int(text)` answers nil instead of trapping), recognised by how its Optional
/// is used: bound by `if let` / `guard let`, or followed by `??`, `?.`, `.map` or `.flatMap`.
/// A non-failable conversion used that way does not compile, so the exemption cannot hide one.
enum TrapScanner {
    enum Kind: String, Sendable, CaseIterable {
        case tryBang = "try!"
        case forcedCast = "as!"
        case forceUnwrap = "force unwrap"
        case trappingCall = "trapping call"
        case conversion = "integer conversion"
    }

    struct Finding: Equatable, Sendable, CustomStringConvertible {
        var kind: Kind
        var line: Int
        /// The line's code, trimmed: what an allowlist entry matches against.
        var code: String

        var description: String { "line \(line): \(kind.rawValue): \(code)" }
    }

    static let trappingCalls: Set<String> = [
        "precondition", "preconditionFailure", "fatalError", "assert", "assertionFailure", "unsafelyUnwrapped",
    ]

    static let integerTypes: Set<String> = [
        "Int", "Int8", "Int16", "Int32", "Int64", "Int128", "UInt", "UInt8", "UInt16", "UInt32", "UInt64", "UInt128",
    ]

    static func findings(in source: String) -> [Finding] {
        let code = ImportScanner.blankingCommentsAndStrings(in: Array(source.utf8), keepingInterpolations: true)
        var findings: [Finding] = []
        for (index, bytes) in code.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = Array(bytes)
            let text = String(decoding: line, as: UTF8.self).trimmingWhitespace()
            for kind in kinds(in: line) {
                findings.append(Finding(kind: kind, line: index + 1, code: text))
            }
        }
        return findings
    }

    /// The trap sites on one line of blanked code, in order.
    static func kinds(in line: [UInt8]) -> [Kind] {
        var kinds: [Kind] = []
        var index = 0
        while index < line.count {
            let byte = line[index]
            if byte.isIdentifierHead, index == 0 || !line[index - 1].isIdentifierBody {
                var end = index
                while end < line.count, line[end].isIdentifierBody { end += 1 }
                let word = String(decoding: line[index..<end], as: UTF8.self)
                let bang = end < line.count && line[end] == UInt8(ascii: "!") && !line.has("!=", at: end)
                if word == "try", bang {
                    kinds.append(.tryBang)
                    index = end + 1
                    continue
                }
                if word == "as", bang {
                    kinds.append(.forcedCast)
                    index = end + 1
                    continue
                }
                let opensCall = line.nextNonSpace(from: end).map { line[$0] == UInt8(ascii: "(") } ?? false
                let isMember = index > 0 && line[index - 1] == UInt8(ascii: ".")
                if trappingCalls.contains(word), opensCall || word == "unsafelyUnwrapped", !isMember || word == "unsafelyUnwrapped" {
                    kinds.append(.trappingCall)
                } else if integerTypes.contains(word), !isMember, end < line.count, line[end] == UInt8(ascii: "("),
                          isTrappingConversion(line, name: index, open: end) {
                    kinds.append(.conversion)
                }
                index = end
                continue
            }
            // A postfix `!`: right after an identifier, `)`, `]`, `?` or `>`, and not `!=`.
            if byte == UInt8(ascii: "!"), index > 0, !line.has("!=", at: index) {
                let previous = line[index - 1]
                if previous.isIdentifierBody || [UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "?"), UInt8(ascii: ">")].contains(previous) {
                    kinds.append(.forceUnwrap)
                }
            }
            index += 1
        }
        return kinds
    }

    /// `IntN(` at `name`, its `(` at `open`: trapping unless labeled (`exactly:`, `clamping:`,
    /// `truncatingIfNeeded:`, `bitPattern:`, …), a literal, or a failable parse used as one.
    private static func isTrappingConversion(_ line: [UInt8], name: Int, open: Int) -> Bool {
        guard let close = line.matchingParenthesis(from: open) else { return true }
        let argument = String(decoding: line[(open + 1)..<close], as: UTF8.self).trimmingWhitespace()
        if argument.isEmpty { return false }  // `Int()` is zero.
        if let colon = argument.firstIndex(of: ":"), argument[..<colon].allSatisfy({ $0.isLetter }) { return false }
        if argument.allSatisfy({ $0.isNumber || $0 == "_" || $0 == "-" || $0 == "x" }) { return false }
        let after = String(decoding: line[(close + 1)...], as: UTF8.self).trimmingWhitespace()
        if after.hasPrefix("??") || after.hasPrefix("?.") || after.hasPrefix(".map") || after.hasPrefix(".flatMap") { return false }
        let before = String(decoding: line[..<name], as: UTF8.self).trimmingWhitespace()
        // A binding that opens a line and is followed by a comma continues a multi-line
        // `guard` or `if` condition.
        return !(before.isOptionalBinding || after.hasPrefix(",") && before.isPlainBinding)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }

    /// Whether code ending here binds an Optional: `if let x =`, `guard let x =`,
    /// `while var x =`, or a further binding of the same condition (`, let x =`).
    fileprivate var isOptionalBinding: Bool {
        wholeMatch(of: /.*(\b(if|guard|while)\s+|,\s*)(let|var)\s+\w+(\s*:\s*[\w.<>\[\]]+)?\s*=/) != nil
    }

    /// `let x =` or `var x =` and nothing else.
    fileprivate var isPlainBinding: Bool {
        wholeMatch(of: /(let|var)\s+\w+\s*=/) != nil
    }
}

extension UInt8 {
    fileprivate var isIdentifierHead: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || self == UInt8(ascii: "_")
    }

    fileprivate var isIdentifierBody: Bool {
        isIdentifierHead || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}

extension [UInt8] {
    fileprivate func nextNonSpace(from index: Int) -> Int? {
        self[index...].firstIndex { $0 != UInt8(ascii: " ") }
    }

    fileprivate func matchingParenthesis(from open: Int) -> Int? {
        var depth = 0
        for index in open..<count {
            if self[index] == UInt8(ascii: "(") { depth += 1 }
            if self[index] == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }
}
