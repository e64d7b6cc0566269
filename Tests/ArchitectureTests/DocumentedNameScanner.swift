import Foundation

/// Finds the names a Markdown document gives for things in the repository, each with its line:
/// paths, types, command-line flags and database tables. `RepositoryNames` then says which of
/// them exist.
///
/// What counts as a mention, and why:
/// - **path**: a token starting `Sources/`, `Tests/`, `scripts/`, `docs/`, `Benchmarks/` or
///   `.ci/` (anywhere, code blocks included), or `Module/…` where `Module` is a folder of
///   `Sources/` (the docs say `Storage/Migrations/Schema.swift`). A path that starts after
///   another `/` or `.` is some other tree's (`../shared/docs/API.md`) and is not one.
/// - **type**: an inline code span (outside fenced blocks) that starts with an UpperCamelCase
///   identifier followed by nothing, `.`, `(` or `<`: `` `PostingEngine` ``,
///   `` `StorageError.unavailable` `` and `` `PostingEngine.run(_ commands:)` `` all name the
///   type before the dot. Headers and the like (`` `Retry-After: 1` ``) are not identifiers.
/// - **flag**: `--word` anywhere, code blocks included. It carries the scripts
///   (`scripts/NAME`) that its paragraph, list item, table row or code block names, and those
///   its section's heading names (`` ## `scripts/tls-scan`: sslyze ``), because a flag next
///   to a script is usually that script's.
/// - **table**, in an inline code span: the whole span one snake_case identifier
///   (`` `identity_users` ``; the checker counts it only when its first word starts some
///   table's name, so `` `prev_hash` `` is not a table mention, and accepts the name of any
///   table, index, trigger or function the migrations create), `prefix_*`
///   (`` `ledger_*` ``: some table starts so), or the identifier after `FROM`, `INTO`,
///   `UPDATE`, `TABLE` or `JOIN` in SQL (`` `SELECT … FROM ledger_balances …` ``), which is
///   always a table, unless a `(` follows (`FROM unnest(…)`).
enum DocumentedNameScanner {
    struct Mention: Equatable, Sendable, CustomStringConvertible {
        enum Kind: String, Sendable {
            case path, type, flag
            /// A whole-span snake_case identifier: a schema object (table, index, trigger,
            /// function) if its first word is a table prefix.
            case table
            /// `prefix_*`: stands for every table whose name starts with the prefix.
            case tablePattern = "table pattern"
            /// The identifier after a SQL keyword that names a table.
            case sqlTable = "table in SQL"
        }

        var kind: Kind
        var token: String
        var line: Int
        /// `scripts/NAME` mentions of the flag's block, as `NAME`s; empty for other kinds.
        var scripts: [String] = []

        var description: String { "line \(line): \(kind.rawValue) \(token)" }
    }

    static let pathRoots = ["Sources", "Tests", "scripts", "docs", "Benchmarks", ".ci"]

    /// - Parameter sourceModules: the folders of `Sources/`, which make `Module/…` a path.
    static func mentions(in markdown: String, sourceModules: Set<String> = []) -> [Mention] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let fenced = fencedLines(lines)
        let blocks = blockNumbers(lines, fenced: fenced)
        var scriptsOfBlock: [Int: [String]] = [:]
        var scriptsOfSection: [[String]] = []
        var sectionScripts: [String] = []
        for (index, line) in lines.enumerated() {
            let named = firstGroups(of: scriptPattern, in: line)
            for name in named where !(scriptsOfBlock[blocks[index]] ?? []).contains(name) {
                scriptsOfBlock[blocks[index], default: []].append(name)
            }
            if !fenced[index], line.hasPrefix("#") {
                sectionScripts = named
            }
            scriptsOfSection.append(sectionScripts)
        }
        func scripts(ofLine index: Int) -> [String] {
            let own = scriptsOfBlock[blocks[index]] ?? []
            return own + scriptsOfSection[index].filter { !own.contains($0) }
        }

        var mentions: [Mention] = []
        for (index, line) in lines.enumerated() {
            for path in firstGroups(of: rootedPathPattern, in: line) {
                mentions.append(Mention(kind: .path, token: path, line: index + 1))
            }
            for path in firstGroups(of: modulePathPattern, in: line) {
                let module = String(path.prefix { $0 != "/" })
                if sourceModules.contains(module) {
                    mentions.append(Mention(kind: .path, token: "Sources/\(path)", line: index + 1))
                }
            }
            for flag in firstGroups(of: flagPattern, in: line) {
                mentions.append(Mention(kind: .flag, token: flag, line: index + 1, scripts: scripts(ofLine: index)))
            }
        }
        mentions += codeSpanMentions(lines: lines, fenced: fenced)
        return mentions.sorted { ($0.line, $0.kind.rawValue, $0.token) < ($1.line, $1.kind.rawValue, $1.token) }
    }

    // MARK: Inline code spans

    private static func codeSpanMentions(lines: [String], fenced: [Bool]) -> [Mention] {
        // Spans may wrap onto the next line, so they are found in the whole text, with fenced
        // blocks blanked (keeping their line breaks, so offsets still map to lines).
        let text = zip(lines, fenced).map { $1 ? "" : $0 }.joined(separator: "\n")
        let utf16 = Array(text.utf16)
        var mentions: [Mention] = []
        for match in codeSpanPattern.matches(in: text, range: NSRange(location: 0, length: utf16.count)) {
            let line = utf16[..<match.range.location].count { $0 == UInt16(UInt8(ascii: "\n")) } + 1
            let content = (text as NSString).substring(with: match.range(at: 1))
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if let type = firstGroups(of: typePattern, in: content).first, type.contains(where: \.isLowercase) {
                mentions.append(Mention(kind: .type, token: type, line: line))
            }
            if matches(snakeCasePattern, content) {
                mentions.append(Mention(kind: .table, token: content, line: line))
            } else if matches(tablePatternPattern, content) {
                mentions.append(Mention(kind: .tablePattern, token: content, line: line))
            }
            for table in firstGroups(of: sqlTablePattern, in: content) {
                mentions.append(Mention(kind: .sqlTable, token: table, line: line))
            }
        }
        return mentions
    }

    // MARK: Fenced blocks and blocks of lines

    /// True for each line inside a fenced code block, the fences included.
    private static func fencedLines(_ lines: [String]) -> [Bool] {
        var inside = false
        return lines.map { line in
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inside.toggle()
                return true
            }
            return inside
        }
    }

    /// A number per line, shared by the lines of one paragraph, list item, table row,
    /// heading or fenced block. Blank lines belong to no block.
    private static func blockNumbers(_ lines: [String], fenced: [Bool]) -> [Int] {
        var numbers: [Int] = []
        var block = 0
        var previousBlank = true
        var previousFenced = false
        for (line, isFenced) in zip(lines, fenced) {
            let trimmed = line.drop { $0 == " " }
            let blank = trimmed.isEmpty && !isFenced
            let startsBlock = isFenced
                ? !previousFenced
                : previousBlank || previousFenced || trimmed.hasPrefix("#") || trimmed.hasPrefix("|")
                    || matches(listItemPattern, String(trimmed))
            if startsBlock || blank { block += 1 }
            numbers.append(block)
            // A heading or a table row ends its block with its line.
            let endsBlock = !isFenced && (trimmed.hasPrefix("#") || trimmed.hasPrefix("|"))
            previousBlank = blank || endsBlock
            previousFenced = isFenced
        }
        return numbers
    }

    // MARK: Patterns

    // NSRegularExpression, for its look-behind: what precedes a path or a flag decides whether it is one.
    private static let rootedPathPattern = regex(
        #"(?<![\w./-])((?:Sources|Tests|scripts|docs|Benchmarks|\.ci)/[\w./-]*\w)"#
    )
    private static let modulePathPattern = regex(#"(?<![\w./-])([A-Z]\w*/[\w./-]*\w)"#)
    private static let scriptPattern = regex(#"(?<![\w./-])scripts/([\w-]+)(?![\w.-]*/)"#)
    private static let flagPattern = regex(#"(?<![\w-])(--[a-z][a-z0-9-]*[a-z0-9])(?![\w-])"#)
    private static let codeSpanPattern = regex(#"`([^`]+)`"#)
    private static let typePattern = regex(#"^([A-Z][A-Za-z0-9]*)(?:$|[.(<])"#)
    private static let sqlTablePattern = regex(#"\b(?:FROM|INTO|UPDATE|TABLE|JOIN)\s+([a-z_][a-z0-9_]*)\b(?!\s*\()"#)
    private static let snakeCasePattern = regex(#"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$"#)
    private static let tablePatternPattern = regex(#"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_\*$"#)
    private static let listItemPattern = regex(#"^(?:[-*+]|[0-9]+\.) "#)

    private static func regex(_ pattern: String) -> NSRegularExpression {
        // The patterns are constants of this file; one that does not compile is a bug here.
        do {
            return try NSRegularExpression(pattern: pattern)
        } catch {
            fatalError("bad pattern \(pattern): \(error)")
        }
    }

    private static func matches(_ pattern: NSRegularExpression, _ text: String) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
    }

    private static func firstGroups(of pattern: NSRegularExpression, in text: String) -> [String] {
        let string = text as NSString
        return pattern.matches(in: text, range: NSRange(location: 0, length: string.length)).map {
            string.substring(with: $0.range(at: 1))
        }
    }
}
