import Foundation
import Testing

/// The documents name only paths, types, flags and tables that exist.
///
/// `docs/PERFORMANCE.md` is not scanned: it is a dated history of measurements, which names
/// builds, flags and types as they were on the day.
@Suite struct DocumentedNamesTests {
    static let documents = ["README.md", "SECURITY.md", "docs/ARCHITECTURE.md", "docs/SECURITY.md", "docs/RELIABILITY.md"]

    struct Finding: CustomStringConvertible {
        var document: String
        var mention: DocumentedNameScanner.Mention
        var problem: String

        var description: String { "\(document):\(mention.line): \(problem)" }
    }

    /// Every mention of every document that names nothing the repository has, skip list aside.
    static func findings() throws -> [Finding] {
        let root = try PackageGraph.packageRoot()
        let names = try RepositoryNames.load(packageRoot: root)
        // Guards against a vacuous pass if the repository was read wrongly.
        #expect(names.types.count > 100 && names.cliFlags.count > 10 && names.tables.count > 10)
        let modules = Set(names.paths.filter { $0.hasPrefix("Sources/") && $0.split(separator: "/").count == 2 }
            .map { String($0.dropFirst("Sources/".count)) })
        var findings: [Finding] = []
        for document in documents {
            let markdown = try String(contentsOf: root.appending(path: document), encoding: .utf8)
            let mentions = DocumentedNameScanner.mentions(in: markdown, sourceModules: modules)
            #expect(!mentions.isEmpty, "no names found in \(document)")
            for mention in mentions {
                if let problem = names.problem(with: mention) {
                    findings.append(Finding(document: document, mention: mention, problem: problem))
                }
            }
        }
        return findings
    }

    @Test("every path, type, flag and table the documents name exists")
    func documentsNameWhatExists() throws {
        let wrong = try Self.findings().filter { OutsideNames.reasons[$0.mention.token] == nil }
        for finding in wrong {
            Issue.record("\(finding)")
        }
        #expect(wrong.count == 0, "each wrong name is recorded as an issue of its own; fix the document, or add an outside name to OutsideNames with its reason")
    }

    @Test("every outside name on the skip list is still needed")
    func skipListIsCurrent() throws {
        let needed = Set(try Self.findings().map(\.mention.token))
        for name in OutsideNames.reasons.keys.sorted() where !needed.contains(name) {
            Issue.record("OutsideNames lists \(name), which no document needs skipped any more: remove it")
        }
    }

    // MARK: The scanner

    static let sample = """
        # Sample

        `PostingEngine.run(_ commands:)` and `StorageError.unavailable` are types; so is `Amount`,
        but not `Retry-After: 1`, `SR-2010` or `GET /health`. A span may wrap: `SELECT … FROM
        ledger_balances WHERE id IN (…)`, and `INSERT … SELECT … FROM unnest($1::text[])` names none.
        Tables: `identity_users`, `ledger_*`, `prev_hash`.

        - `scripts/crash-test [--short|--long]`: see Sources/Storage/UnitOfWork.swift and
          `Storage/Migrations/Schema.swift`, not ../shared/docs/API.md nor Routes/Ledger.
        - `strongroom serve --data-dir DIR`.

        ```sh
        strongroom audit verify --checkpoint-key KEY   # `NotAType` in a fence
        ```

        ## `scripts/tls-scan`: sslyze

        RSA as well in `--long`.
        """

    @Test("the scanner finds each kind of mention, with its line")
    func scannerFindsMentions() {
        let mentions = DocumentedNameScanner.mentions(in: Self.sample, sourceModules: ["Storage"])
        func tokens(_ kind: DocumentedNameScanner.Mention.Kind) -> [String] {
            mentions.filter { $0.kind == kind }.map(\.token)
        }
        // Sorted by line, then by token.
        #expect(tokens(.type) == ["Amount", "PostingEngine", "StorageError"])
        #expect(tokens(.sqlTable) == ["ledger_balances"])
        #expect(tokens(.table) == ["identity_users", "prev_hash"])
        #expect(tokens(.tablePattern) == ["ledger_*"])
        #expect(tokens(.path) == [
            "Sources/Storage/UnitOfWork.swift", "scripts/crash-test", "Sources/Storage/Migrations/Schema.swift", "scripts/tls-scan",
        ])
        #expect(tokens(.flag) == ["--long", "--short", "--data-dir", "--checkpoint-key", "--long"])
        #expect(mentions.first { $0.token == "ledger_balances" }?.line == 4, "a wrapped span counts from its first line")
        #expect(mentions.first { $0.token == "--checkpoint-key" }?.line == 13, "fenced blocks keep their lines")
    }

    @Test("a flag carries the scripts of its own list item and of its section's heading")
    func flagsCarryTheirBlocksScripts() {
        let mentions = DocumentedNameScanner.mentions(in: Self.sample)
        #expect(mentions.first { $0.token == "--short" }?.scripts == ["crash-test"])
        #expect(mentions.first { $0.token == "--data-dir" }?.scripts == [])
        #expect(mentions.first { $0.token == "--checkpoint-key" }?.scripts == [])
        #expect(mentions.last { $0.token == "--long" }?.scripts == ["tls-scan"])
    }

    // MARK: The repository's names

    @Test("flags are derived as swift-argument-parser derives them")
    func commandLineFlags() {
        let source = """
            @Option(help: "The database (default --database-url).") var databaseUrl: String?
            @Option(help: "Only records after this seq.") var afterSeq: Int64 = 0
            @Option(name: .customLong("key-file"), help: "A file.") var keyPath: String?
            @Option(name: .shortAndLong) var output: String?
            @Option(name: .short) var verbose = false
            @Flag(
                help: "Multi-line."
            )
            var expectInterruption = false
            @Flag(inversion: .prefixedNo) var color = true
            @OptionGroup var options: ServerOptions
            """
        #expect(RepositoryNames.commandLineFlags(in: source) == [
            "--database-url", "--after-seq", "--key-file", "--output", "--expect-interruption", "--color", "--no-color",
        ])
        #expect(RepositoryNames.kebabCase("databaseURLValue") == "database-url-value")
        #expect(RepositoryNames.kebabCase("tlsCert") == "tls-cert")
    }

    @Test("tables come from CREATE TABLE, RENAME TO and interpolated constants")
    func createdTables() {
        let source = #"""
            static let historyTable = "schema_migrations"
            "CREATE TABLE IF NOT EXISTS \(Self.historyTable) (version BIGINT)"
            "CREATE TABLE ledger_assets (id TEXT)"
            "ALTER TABLE audit_events_new RENAME TO audit_events"
            "CREATE INDEX ledger_assets_code ON ledger_assets (code)"
            """#
        #expect(RepositoryNames.createdTables(in: source) == ["schema_migrations", "ledger_assets", "audit_events"])
        let triggers = """
            CREATE UNIQUE INDEX ledger_assets_code ON ledger_assets (code)
            CREATE OR REPLACE FUNCTION ledger_guard() RETURNS trigger
            CREATE TRIGGER IF NOT EXISTS ledger_assets_no_delete BEFORE DELETE ON ledger_assets
            """
        #expect(RepositoryNames.createdSchemaObjects(in: triggers) == ["ledger_assets_code", "ledger_guard", "ledger_assets_no_delete"])
        #expect(RepositoryNames.declaredTypes(in: "public struct A {}\nenum B: String {}\nextension C {}\nfinal actor D {}") == ["A", "B", "D"])
        #expect(RepositoryNames.products(inManifest: #".library(name: "StrongroomCore", targets: ["A"])"#) == ["StrongroomCore"])
    }

    @Test("the checker accepts what exists and names what does not")
    func checkerDecisions() {
        let names = RepositoryNames(
            types: ["Amount"], cliFlags: ["--data-dir"], tables: ["identity_users", "ledger_assets"],
            otherSchemaObjects: ["ledger_assets_no_delete"], paths: ["Sources", "Sources/Audit"], scripts: ["crash-test": "case $1 in --short) ;; --long) ;; esac"]
        )
        func problem(_ kind: DocumentedNameScanner.Mention.Kind, _ token: String, scripts: [String] = []) -> String? {
            names.problem(with: .init(kind: kind, token: token, line: 1, scripts: scripts))
        }
        #expect(problem(.type, "Amount") == nil)
        #expect(problem(.type, "AuditChainAppender") != nil)
        #expect(problem(.path, "Sources/Audit") == nil)
        #expect(problem(.path, "Sources/Ledger") != nil)
        #expect(problem(.flag, "--data-dir") == nil)
        #expect(problem(.flag, "--short", scripts: ["crash-test"]) == nil)
        #expect(problem(.flag, "--short") != nil, "a script's flag counts only beside the script")
        #expect(problem(.flag, "--shor", scripts: ["crash-test"]) != nil, "a flag matches whole")
        #expect(problem(.flag, "--audit-checkpoint-interval", scripts: ["crash-test"]) != nil)
        #expect(problem(.table, "identity_login_throttle") != nil)
        #expect(problem(.table, "prev_hash") == nil, "no table starts with prev_")
        #expect(problem(.table, "ledger_assets_no_delete") == nil, "a trigger")
        #expect(problem(.sqlTable, "ledger_assets_no_delete") != nil, "a trigger is not a table to select from")
        #expect(problem(.sqlTable, "balances") != nil, "a table in SQL is checked whatever its prefix")
        #expect(problem(.tablePattern, "ledger_*") == nil)
        #expect(problem(.tablePattern, "audit_*") != nil)
    }
}
