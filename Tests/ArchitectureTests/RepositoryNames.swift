import Foundation

/// What the repository defines, read from its files, and whether a documented name is one of
/// them. The parsers are pure (text in, names out) and `problem(with:)` decides without I/O;
/// only `load(packageRoot:)` reads the disk.
///
/// - types: declared (`struct`, `class`, `enum`, `actor`, `protocol`, `typealias`) in a Swift
///   file under `Sources/` or `Tests/` (the docs name test suites as well), or the name of a
///   module (a folder of `Sources/` or `Tests/`) or of a library product in `Package.swift`;
/// - CLI flags: swift-argument-parser's `@Option` and `@Flag` properties under
///   `Sources/StrongroomCLI/`, by the names the parser derives, plus `--help`;
/// - script flags: the text of `scripts/NAME` (a flag is accepted for a script that writes it);
/// - tables: `CREATE TABLE` (and `ALTER TABLE … RENAME TO`) in `Sources/Storage/Migrations/`,
///   and the indexes, triggers and functions created there (`CREATE [OR REPLACE] [UNIQUE]
///   INDEX|TRIGGER|FUNCTION`), which the docs name with the same prefixes;
/// - paths: every file and folder of the repository, `.build` and `.git` left out.
struct RepositoryNames: Sendable {
    var types: Set<String>
    var cliFlags: Set<String>
    var tables: Set<String>
    /// Indexes, triggers and functions the migrations create: a snake_case name with a table
    /// prefix may name one of these as well as a table.
    var otherSchemaObjects: Set<String> = []
    var paths: Set<String>
    /// Each script's text, by its name under `scripts/`.
    var scripts: [String: String]

    static let commandSources = "Sources/StrongroomCLI"
    static let migrationSources = "Sources/Storage/Migrations"

    /// The first words of the tables' names (`identity`, `ledger`, …): a snake_case code span
    /// starting with one of them is taken for a table.
    var tablePrefixes: Set<String> {
        Set(tables.compactMap { $0.split(separator: "_").first.map(String.init) })
    }

    /// Why the mention names nothing the repository has, or nil when it names something.
    func problem(with mention: DocumentedNameScanner.Mention) -> String? {
        let token = mention.token
        switch mention.kind {
        case .path:
            return paths.contains(token) ? nil : "path \(token) does not exist"
        case .type:
            return types.contains(token) ? nil
                : "type \(token) is declared nowhere in Sources/ or Tests/, and is no module or product"
        case .flag:
            if cliFlags.contains(token) { return nil }
            if mention.scripts.contains(where: { scripts[$0].map { Self.text($0, hasFlag: token) } ?? false }) { return nil }
            let scriptNames = mention.scripts.map { "scripts/\($0)" }
            let others = scriptNames.isEmpty ? "" : ", nor in \(scriptNames.joined(separator: " or ")) named beside it"
            return "flag \(token) is defined by no @Option or @Flag in \(Self.commandSources)\(others)"
        case .table:
            guard let prefix = token.split(separator: "_").first, tablePrefixes.contains(String(prefix)) else { return nil }
            return tables.contains(token) || otherSchemaObjects.contains(token) ? nil
                : "table \(token) (or index, trigger, function) is created by no migration in \(Self.migrationSources)"
        case .sqlTable:
            return tables.contains(token) ? nil : "table \(token) is created by no migration in \(Self.migrationSources)"
        case .tablePattern:
            let prefix = token.dropLast()
            return tables.contains { $0.hasPrefix(prefix) } ? nil : "no table in \(Self.migrationSources) matches \(token)"
        }
    }

    // MARK: Reading the repository

    static func load(packageRoot root: URL) throws -> RepositoryNames {
        let paths = try allPaths(under: root)
        func read(_ path: String) throws -> String {
            try String(contentsOf: root.appending(path: path), encoding: .utf8)
        }
        func swiftFiles(under folder: String) -> [String] {
            paths.filter { $0.hasPrefix(folder + "/") && $0.hasSuffix(".swift") }.sorted()
        }

        var types = try products(inManifest: read("Package.swift"))
        for path in paths where path.split(separator: "/").count == 2 && (path.hasPrefix("Sources/") || path.hasPrefix("Tests/")) {
            types.insert(String(path.split(separator: "/")[1]))
        }
        for path in swiftFiles(under: "Sources") + swiftFiles(under: "Tests") {
            types.formUnion(declaredTypes(in: try read(path)))
        }
        var cliFlags: Set<String> = ["--help"]
        for path in swiftFiles(under: commandSources) {
            cliFlags.formUnion(commandLineFlags(in: try read(path)))
        }
        var tables: Set<String> = []
        var otherSchemaObjects: Set<String> = []
        for path in swiftFiles(under: migrationSources) {
            let source = try read(path)
            tables.formUnion(createdTables(in: source))
            otherSchemaObjects.formUnion(createdSchemaObjects(in: source))
        }
        var scripts: [String: String] = [:]
        for path in paths where path.hasPrefix("scripts/") && path.split(separator: "/").count == 2 {
            var isDirectory: ObjCBool = false
            let url = root.appending(path: path)
            if FileManager.default.fileExists(atPath: url.path(percentEncoded: false), isDirectory: &isDirectory), !isDirectory.boolValue {
                scripts[String(path.dropFirst("scripts/".count))] = try read(path)
            }
        }
        return RepositoryNames(
            types: types, cliFlags: cliFlags, tables: tables, otherSchemaObjects: otherSchemaObjects, paths: paths, scripts: scripts
        )
    }

    private static func allPaths(under root: URL) throws -> Set<String> {
        let skipped: Set<String> = [".build", ".git", ".swiftpm"]
        guard let enumerator = FileManager.default.enumerator(atPath: root.path(percentEncoded: false)) else {
            throw CocoaError(.fileReadUnknown)
        }
        var paths: Set<String> = []
        while let path = enumerator.nextObject() as? String {
            if skipped.contains((path as NSString).lastPathComponent) {
                enumerator.skipDescendants()
            } else {
                paths.insert(path)
            }
        }
        return paths
    }

    // MARK: Parsers

    /// Names declared as types anywhere in the file, nested ones included. A comment that
    /// reads like a declaration counts too: the check may pass a name it should not, never
    /// fail one it should pass.
    static func declaredTypes(in swift: String) -> Set<String> {
        Set(swift.matches(of: #/\b(?:struct|class|enum|actor|protocol|typealias)\s+([A-Z][A-Za-z0-9_]*)/#).map { String($0.output.1) })
    }

    /// `--names` of every `@Option` and `@Flag`: by default swift-argument-parser's kebab-case
    /// of the property's name; `name:` can replace it (`.customLong("x")`, `.short` alone) or
    /// keep it (`.long`, `.shortAndLong`); a flag's `inversion:` adds `--no-…` or
    /// `--enable-…`/`--disable-…`.
    static func commandLineFlags(in swift: String) -> Set<String> {
        var flags: Set<String> = []
        // The attribute's arguments run up to the property's `var`; a help text holding
        // "var " followed by a name would cut them short, and none does.
        for match in swift.matches(of: #/@(Option|Flag)\b(?<arguments>[\s\S]*?)\bvar\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)/#) {
            let arguments = String(match.output.arguments)
            let derived = kebabCase(String(match.output.name))
            var longNames: [String] = []
            if arguments.contains("name:") {
                longNames += arguments.matches(of: #/customLong\(\s*"([^"]+)"/#).map { String($0.output.1) }
                if arguments.contains(".long") || arguments.contains(".shortAndLong") {
                    longNames.append(derived)
                }
            } else {
                longNames.append(derived)
            }
            for name in longNames {
                flags.insert("--\(name)")
                if arguments.contains(".prefixedNo") { flags.insert("--no-\(name)") }
                if arguments.contains(".prefixedEnableDisable") {
                    flags.formUnion(["--enable-\(name)", "--disable-\(name)"])
                }
            }
        }
        return flags
    }

    /// swift-argument-parser's conversion of a property name: a hyphen where a lower-case
    /// letter or digit meets an upper-case one, and before the last capital of an acronym
    /// that a lower-case letter follows (`databaseURL` → `database-url`, `tlsCert` → `tls-cert`).
    static func kebabCase(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    result.append("-")
                }
            }
            result += character.lowercased()
        }
        return result
    }

    /// Tables a migration file creates or renames into being. A name given by interpolation
    /// (`CREATE TABLE \(Self.historyTable)`) is looked up among the file's string constants.
    static func createdTables(in swift: String) -> Set<String> {
        var constants: [String: String] = [:]
        for match in swift.matches(of: #/\blet\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([a-z_][a-z0-9_]*)"/#) {
            constants[String(match.output.1)] = String(match.output.2)
        }
        var tables: Set<String> = []
        let pattern = #/(?:CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?|RENAME\s+TO\s+)(?:([a-z_][a-z0-9_]*)|\\\((?:Self\.)?([A-Za-z_][A-Za-z0-9_]*)\))/#
        for match in swift.matches(of: pattern) {
            if let name = match.output.1 {
                tables.insert(String(name))
            } else if let constant = match.output.2, let name = constants[String(constant)] {
                tables.insert(name)
            }
        }
        return tables
    }

    /// Indexes, triggers and functions a migration file creates, by the name written after
    /// the keyword (`IF NOT EXISTS` allowed).
    static func createdSchemaObjects(in swift: String) -> Set<String> {
        let pattern = #/CREATE\s+(?:OR\s+REPLACE\s+)?(?:UNIQUE\s+)?(?:INDEX|TRIGGER|FUNCTION)\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)/#
        return Set(swift.matches(of: pattern).map { String($0.output.1) })
    }

    /// Library products of the manifest (`StrongroomCore`): modules in all but name.
    static func products(inManifest manifest: String) -> Set<String> {
        Set(manifest.matches(of: #/\.library\(\s*name:\s*"([A-Za-z0-9_]+)"/#).map { String($0.output.1) })
    }

    /// Whether `flag` occurs in the script as a whole word: `--long` not inside `--longer`.
    static func text(_ script: String, hasFlag flag: String) -> Bool {
        func isNamePart(_ character: Character?) -> Bool {
            character.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } ?? false
        }
        return script.ranges(of: flag).contains { range in
            !isNamePart(range.lowerBound > script.startIndex ? script[script.index(before: range.lowerBound)] : nil)
                && !isNamePart(range.upperBound < script.endIndex ? script[range.upperBound] : nil)
        }
    }
}
