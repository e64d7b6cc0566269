/// Finds the modules a Swift source file imports, with the line of each import.
///
/// Not a parser: it blanks out comments and string literals (keeping line breaks, so line
/// numbers survive), then reads every statement that begins, after attributes and modifiers,
/// with `import`. Import declarations are simple and always at statement level, so that is
/// enough. `#if` is not evaluated: an import under any branch counts, because some platform
/// compiles it. Known blind spot: a bare regex literal containing a quote (`/"/`).
enum ImportScanner {
    struct Import: Equatable, Sendable {
        var module: String
        var line: Int
    }

    static func imports(in source: String) -> [Import] {
        let code = blankingCommentsAndStrings(in: Array(source.utf8))
        var imports: [Import] = []
        for (index, line) in code.split(separator: newline, omittingEmptySubsequences: false).enumerated() {
            for statement in line.split(separator: UInt8(ascii: ";")) {
                if let module = importedModule(in: String(decoding: statement, as: UTF8.self)) {
                    imports.append(Import(module: module, line: index + 1))
                }
            }
        }
        return imports
    }

    // MARK: Blanking comments and string literals

    private enum Context {
        /// `openParens` is nil at top level, and counts parentheses inside a `\(...)` interpolation.
        case code(openParens: Int?)
        case string(hashes: Int, multiline: Bool)
    }

    private static let newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let quote = UInt8(ascii: "\"")
    private static let hash = UInt8(ascii: "#")
    private static let backslash = UInt8(ascii: "\\")

    /// Only top-level code survives (and, with `keepingInterpolations`, the code inside a
    /// string's `\(...)`); everything else becomes spaces. A stack of contexts, because an
    /// interpolation inside a string is code again, which may hold strings and comments of its own.
    static func blankingCommentsAndStrings(in text: [UInt8], keepingInterpolations: Bool = false) -> [UInt8] {
        var result = text
        var stack: [Context] = [.code(openParens: nil)]
        var index = 0
        while index < text.count {
            let start = index
            var keep = false
            switch stack[stack.count - 1] {
            case .code(let openParens):
                if text.has("//", at: index) {
                    index = text[index...].firstIndex(of: newline) ?? text.count
                } else if text.has("/*", at: index) {
                    index = endOfBlockComment(in: text, from: index)
                } else if let opening = stringOpening(in: text, at: index) {
                    stack.append(.string(hashes: opening.hashes, multiline: opening.quotes == 3))
                    index += opening.hashes + opening.quotes
                } else {
                    if let openParens {
                        if text[index] == UInt8(ascii: "(") {
                            stack[stack.count - 1] = .code(openParens: openParens + 1)
                        } else if text[index] == UInt8(ascii: ")") {
                            if openParens == 0 {
                                stack.removeLast()
                            } else {
                                stack[stack.count - 1] = .code(openParens: openParens - 1)
                            }
                        }
                    }
                    keep = stack.count == 1 || keepingInterpolations
                    index += 1
                }
            case .string(let hashes, let multiline):
                let quotes = multiline ? 3 : 1
                if text[index] == backslash, text.has(hashes: hashes, at: index + 1) {
                    let escaped = index + 1 + hashes
                    if escaped < text.count, text[escaped] == UInt8(ascii: "(") {
                        stack.append(.code(openParens: 0))
                    }
                    index = escaped + 1
                } else if text[index] == quote, text.has(quotes: quotes, at: index),
                          text.has(hashes: hashes, at: index + quotes) {
                    stack.removeLast()
                    index += quotes + hashes
                } else if text[index] == newline, !multiline {
                    // An unterminated string: stop at the line's end rather than swallow the file.
                    stack.removeLast()
                    index += 1
                } else {
                    index += 1
                }
            }
            if !keep {
                for blanked in start..<min(index, text.count) where result[blanked] != newline {
                    result[blanked] = space
                }
            }
        }
        return result
    }

    /// Swift's block comments nest.
    private static func endOfBlockComment(in text: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < text.count {
            if text.has("/*", at: index) {
                depth += 1
                index += 2
            } else if text.has("*/", at: index) {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return text.count
    }

    /// `"`, `"""`, `#"`, `##"""`, ...: the number of hashes and of quotes, or nil if no string opens here.
    private static func stringOpening(in text: [UInt8], at start: Int) -> (hashes: Int, quotes: Int)? {
        var index = start
        while index < text.count, text[index] == hash { index += 1 }
        guard index < text.count, text[index] == quote else { return nil }
        return (index - start, text.has(quotes: 3, at: index) ? 3 : 1)
    }

    // MARK: Reading one statement

    private static let modifiers: Set<String> = ["public", "package", "internal", "fileprivate", "private", "open"]
    private static let declarationKinds: Set<String> = [
        "typealias", "struct", "class", "enum", "protocol", "let", "var", "func",
    ]

    private static func importedModule(in statement: String) -> String? {
        var tokens = tokenize(statement)[...]
        // Attributes: `@testable`, `@_exported`, `@preconcurrency`, `@_spi(Name)`, ...
        while tokens.first == "@" {
            tokens = tokens.dropFirst(2)
            if tokens.first == "(" {
                tokens = tokens.drop { $0 != ")" }.dropFirst()
            }
        }
        tokens = tokens.drop { modifiers.contains($0) }
        guard tokens.popFirst() == "import" else { return nil }
        if let kind = tokens.first, declarationKinds.contains(kind) {
            tokens = tokens.dropFirst()
        }
        // `import X.Submodule` and `import struct X.Y` both belong to module X: the first name.
        guard let module = tokens.first, let first = module.first,
              first.isLetter || first == "_" || first == "`" else { return nil }
        return module.filter { $0 != "`" }
    }

    /// Identifiers (backquoted ones whole) and single punctuation characters.
    private static func tokenize(_ statement: String) -> [String] {
        func isIdentifierCharacter(_ character: Character) -> Bool {
            character.isLetter || character.isNumber || character == "_"
        }
        var tokens: [String] = []
        var index = statement.startIndex
        while index < statement.endIndex {
            let character = statement[index]
            var end = statement.index(after: index)
            if character == "`" {
                end = statement[end...].firstIndex(of: "`").map(statement.index(after:)) ?? statement.endIndex
            } else if isIdentifierCharacter(character) {
                end = statement[end...].firstIndex { !isIdentifierCharacter($0) } ?? statement.endIndex
            }
            if !character.isWhitespace {
                tokens.append(String(statement[index..<end]))
            }
            index = end
        }
        return tokens
    }
}

extension [UInt8] {
    /// Whether `ascii` stands at `index` (`TrapScanner` reads lines the same way).
    func has(_ ascii: String, at index: Int) -> Bool {
        let bytes = Array(ascii.utf8)
        return index + bytes.count <= count && self[index..<(index + bytes.count)].elementsEqual(bytes)
    }

    fileprivate func has(hashes: Int, at index: Int) -> Bool {
        has(String(repeating: "#", count: hashes), at: index)
    }

    fileprivate func has(quotes: Int, at index: Int) -> Bool {
        has(String(repeating: "\"", count: quotes), at: index)
    }
}
