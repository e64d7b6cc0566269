import Foundation
import Testing

@Suite struct FenceTests {
    // MARK: The real package

    @Test("the real package respects its fences")
    func realPackage() async throws {
        let root = try PackageGraph.packageRoot()
        let markdown = try String(contentsOf: root.appending(path: "docs/ARCHITECTURE.md"), encoding: .utf8)
        let table = try FenceTable(markdown: markdown)
        let graph = try await PackageGraph.load(packageRoot: root)
        let files = try graph.targets.filter { !$0.isTest }.flatMap { try Self.sourceFiles(of: $0, in: root) }
        // Guards against a vacuous pass if target paths were resolved wrongly.
        #expect(!files.isEmpty, "no Swift sources found under any target")

        let violations = FenceChecker(table: table, graph: graph).violations(in: files)
        for violation in violations {
            Issue.record("\(violation)")
        }
        #expect(violations.count == 0, "each violation is recorded as an issue of its own")
    }

    @Test("the real fence table allows nothing its targets do not use")
    func realTableIsTight() async throws {
        let root = try PackageGraph.packageRoot()
        let markdown = try String(contentsOf: root.appending(path: "docs/ARCHITECTURE.md"), encoding: .utf8)
        let graph = try await PackageGraph.load(packageRoot: root)
        let files = try graph.targets.filter { !$0.isTest }.flatMap { try Self.sourceFiles(of: $0, in: root) }
        let slack = FenceChecker(table: try FenceTable(markdown: markdown), graph: graph).slack(in: files)
        for violation in slack {
            Issue.record("\(violation)")
        }
        #expect(slack.count == 0, "each allowance nothing uses is recorded as an issue of its own")
    }

    /// Every `.swift` file under the target's directory, including any the manifest excludes:
    /// an excluded file breaching a fence is still a breach waiting to be re-included.
    private static func sourceFiles(of target: PackageGraph.Target, in root: URL) throws -> [FenceChecker.SourceFile] {
        let directory = root.appending(path: target.sourcePath)
        let relativePaths = FileManager.default.enumerator(atPath: directory.path(percentEncoded: false))?
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted() ?? []
        return try relativePaths.map { relativePath in
            let source = try String(contentsOf: directory.appending(path: relativePath), encoding: .utf8)
            return FenceChecker.SourceFile(
                target: target.name,
                path: "\(target.sourcePath)/\(relativePath)",
                imports: ImportScanner.imports(in: source)
            )
        }
    }

    // MARK: The checker

    static let sampleMarkdown = """
        # Architecture

        <!-- fence-table:begin -->
        | Target | Project targets it may import | Outside modules it may import |
        |---|---|---|
        | StrongroomKernel | — | Foundation |
        | LedgerCore | StrongroomKernel | — |
        | Storage | StrongroomKernel, LedgerCore | Foundation, PostgresNIO |
        <!-- fence-table:end -->

        Prose after the table is not part of it.
        """

    static func sampleGraph(ledgerCoreDependencies: [PackageGraph.Dependency] = [.byName("StrongroomKernel")]) -> PackageGraph {
        PackageGraph(targets: [
            .init(name: "StrongroomKernel", type: "regular", path: nil, dependencies: []),
            .init(name: "LedgerCore", type: "regular", path: nil, dependencies: ledgerCoreDependencies),
            .init(name: "Storage", type: "regular", path: nil, dependencies: [
                .target("LedgerCore"), .byName("StrongroomKernel"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
            .init(name: "LedgerCoreTests", type: "test", path: nil, dependencies: [.byName("LedgerCore"), .byName("Storage")]),
        ])
    }

    static func sampleChecker(graph: PackageGraph = sampleGraph()) throws -> FenceChecker {
        FenceChecker(table: try FenceTable(markdown: sampleMarkdown), graph: graph)
    }

    @Test("the sample package is clean")
    func sampleIsClean() throws {
        let files = [
            FenceChecker.SourceFile(target: "LedgerCore", path: "Sources/LedgerCore/Amount.swift", imports: ImportScanner.imports(in: """
                import Swift
                import StrongroomKernel
                """)),
            FenceChecker.SourceFile(target: "Storage", path: "Sources/Storage/Store.swift", imports: ImportScanner.imports(in: """
                #if canImport(FoundationEssentials)
                import FoundationEssentials
                #else
                import Foundation
                #endif
                import LedgerCore
                import PostgresNIO
                """)),
            // Test targets are not fenced.
            FenceChecker.SourceFile(target: "LedgerCoreTests", path: "Tests/LedgerCoreTests/T.swift", imports: ImportScanner.imports(in: """
                @testable import Storage
                """)),
        ]
        #expect(try Self.sampleChecker().violations(in: files) == [])
    }

    @Test("a forbidden import is caught", arguments: ["Storage", "PostgresNIO", "Foundation", "Glibc", "Dispatch"])
    func forbiddenImport(module: String) throws {
        let source = """
            // Amounts in minor units.
            import StrongroomKernel
            import \(module)
            """
        let file = FenceChecker.SourceFile(
            target: "LedgerCore", path: "Sources/LedgerCore/Amount.swift", imports: ImportScanner.imports(in: source)
        )
        let violations = try Self.sampleChecker().violations(in: [file])
        #expect(violations.map(\.description) == [
            "Sources/LedgerCore/Amount.swift:3: LedgerCore imports \(module), which its fence does not allow",
        ])
    }

    @Test("an allowance nothing imports or declares is slack")
    func slackAllowance() throws {
        let files = [
            FenceChecker.SourceFile(target: "LedgerCore", path: "Sources/LedgerCore/Amount.swift", imports: ImportScanner.imports(in: """
                import StrongroomKernel
                """)),
            // Storage's Foundation arrives as FoundationEssentials, which counts as Foundation.
            FenceChecker.SourceFile(target: "Storage", path: "Sources/Storage/Store.swift", imports: ImportScanner.imports(in: """
                import FoundationEssentials
                import LedgerCore
                import StrongroomKernel
                """)),
        ]
        let slack = try Self.sampleChecker().slack(in: files)
        #expect(slack.map(\.description) == [
            "docs/ARCHITECTURE.md:6: StrongroomKernel's row allows Foundation, which no file of StrongroomKernel imports",
            "docs/ARCHITECTURE.md:8: Storage's row allows PostgresNIO, which no file of Storage imports",
            "Package.swift: Storage declares a dependency on PostgresNIO, which no file of it imports",
        ])
    }

    @Test("a forbidden package dependency is caught")
    func forbiddenDependency() throws {
        let graph = Self.sampleGraph(ledgerCoreDependencies: [
            .byName("StrongroomKernel"), .byName("Storage"), .target("Storage"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ])
        let violations = try Self.sampleChecker(graph: graph).violations(in: [])
        #expect(violations.map(\.description) == [
            "Package.swift: LedgerCore declares a dependency on Storage, which its fence does not allow",
            "Package.swift: LedgerCore declares a dependency on Storage, which its fence does not allow",
            "Package.swift: LedgerCore declares a dependency on PostgresNIO, which its fence does not allow",
        ])
    }

    // MARK: The table

    @Test("the sample table parses")
    func tableParses() throws {
        let table = try FenceTable(markdown: Self.sampleMarkdown)
        #expect(table == FenceTable(fences: [
            "StrongroomKernel": .init(projectTargets: [], outsideModules: ["Foundation"], line: 6),
            "LedgerCore": .init(projectTargets: ["StrongroomKernel"], outsideModules: [], line: 7),
            "Storage": .init(projectTargets: ["StrongroomKernel", "LedgerCore"], outsideModules: ["Foundation", "PostgresNIO"], line: 8),
        ]))
    }

    @Test("a target without a row is a violation")
    func missingRow() throws {
        var graph = Self.sampleGraph()
        graph.targets.append(.init(name: "Audit", type: "regular", path: nil, dependencies: [.byName("Storage")]))
        let auditFile = FenceChecker.SourceFile(
            target: "Audit", path: "Sources/Audit/Record.swift", imports: [.init(module: "Storage", line: 1)]
        )
        // Reported once, not once more per import or dependency of the unfenced target.
        #expect(try Self.sampleChecker(graph: graph).violations(in: [auditFile]).map(\.description) == [
            "docs/ARCHITECTURE.md: target Audit has no row in the fence table",
        ])
    }

    @Test("a row for an unknown target, or naming one, is a violation")
    func unknownTargetRow() throws {
        let markdown = Self.sampleMarkdown
            .replacingOccurrences(of: "| LedgerCore | StrongroomKernel | — |", with: """
                | LedgerCore | StrongroomKernel | — |
                | Ledger | StrongroomKernal | Storage |
                """)
        let checker = FenceChecker(table: try FenceTable(markdown: markdown), graph: Self.sampleGraph())
        #expect(checker.violations(in: []).map(\.description) == [
            "docs/ARCHITECTURE.md:8: the fence table has a row for Ledger, which is not a non-test target of the package",
            "docs/ARCHITECTURE.md:8: Ledger's row allows project target StrongroomKernal, which is not a target of the package",
            "docs/ARCHITECTURE.md:8: Ledger's row lists Storage as an outside module, but it is a project target",
        ])
    }

    @Test("a row for a test target is a violation")
    func testTargetRow() throws {
        let markdown = Self.sampleMarkdown.replacingOccurrences(
            of: "| LedgerCore | StrongroomKernel | — |",
            with: "| LedgerCore | StrongroomKernel | — |\n| LedgerCoreTests | LedgerCore | — |"
        )
        let checker = FenceChecker(table: try FenceTable(markdown: markdown), graph: Self.sampleGraph())
        #expect(checker.violations(in: []).map(\.description) == [
            "docs/ARCHITECTURE.md:8: the fence table has a row for LedgerCoreTests, which is not a non-test target of the package",
        ])
    }

    /// Named by the error it expects, so the test log does not print whole tables.
    struct MalformedTable: Sendable, CustomTestStringConvertible {
        var markdown: String
        var error: FenceTable.ParseError
        var testDescription: String { error.description }
    }

    static let malformedTables: [MalformedTable] = [
        .init(markdown: "| Target | Project targets it may import | Outside modules it may import |",
              error: .init(line: nil, message: "no <!-- fence-table:begin --> line")),
        .init(markdown: "<!-- fence-table:begin -->\n| A | — | — |",
              error: .init(line: nil, message: "no <!-- fence-table:end --> line after <!-- fence-table:begin -->")),
        .init(markdown: "<!-- fence-table:begin -->\n<!-- fence-table:end -->",
              error: .init(line: 1, message: "the table needs a header row and a separator row")),
        .init(markdown: table(header: "| Target | Imports | Modules |"),
              error: .init(line: 2, message: "the header row must be | Target | Project targets it may import | Outside modules it may import |")),
        .init(markdown: table(separator: "| LedgerCore | — | — |"),
              error: .init(line: 3, message: "the second row must be the |---|---|---| separator")),
        .init(markdown: table(rows: "| LedgerCore | StrongroomKernel |"),
              error: .init(line: 4, message: "expected 3 cells, found 2")),
        .init(markdown: table(rows: "LedgerCore may import StrongroomKernel"),
              error: .init(line: 4, message: "expected a table row between '|'s, found \"LedgerCore may import StrongroomKernel\"")),
        .init(markdown: table(rows: "| LedgerCore |  | — |"),
              error: .init(line: 4, message: "\"\" is neither — nor a comma-separated list of module names")),
        .init(markdown: table(rows: "| LedgerCore | StrongroomKernel Secrets | — |"),
              error: .init(line: 4, message: "\"StrongroomKernel Secrets\" is neither — nor a comma-separated list of module names")),
        .init(markdown: table(rows: "| LedgerCore | StrongroomKernel, | — |"),
              error: .init(line: 4, message: "\"StrongroomKernel,\" is neither — nor a comma-separated list of module names")),
        .init(markdown: table(rows: "| `LedgerCore` | — | — |"),
              error: .init(line: 4, message: "\"`LedgerCore`\" is not a target name")),
        .init(markdown: table(rows: "| LedgerCore | — | — |\n| LedgerCore | — | Foundation |"),
              error: .init(line: 5, message: "a second row for LedgerCore")),
    ]

    static func table(
        header: String = "| Target | Project targets it may import | Outside modules it may import |",
        separator: String = "|:---|---|---:|",
        rows: String = ""
    ) -> String {
        "<!-- fence-table:begin -->\n\(header)\n\(separator)\n\(rows)\n<!-- fence-table:end -->"
    }

    @Test("a malformed table is rejected with a clear message", arguments: malformedTables)
    func malformedTable(_ malformed: MalformedTable) {
        let error = #expect(throws: FenceTable.ParseError.self) { try FenceTable(markdown: malformed.markdown) }
        #expect(error == malformed.error)
    }

    // MARK: The scanner

    @Test("the scanner reads plain imports with their lines, and several per line")
    func plainImports() {
        let source = """
            import Foundation

            import LedgerCore; import Storage
              import   Secrets  // trailing comment
            """
        #expect(ImportScanner.imports(in: source) == [
            .init(module: "Foundation", line: 1),
            .init(module: "LedgerCore", line: 3),
            .init(module: "Storage", line: 3),
            .init(module: "Secrets", line: 4),
        ])
    }

    @Test("the scanner skips imports in comments")
    func comments() {
        let source = """
            // import LineComment
            /* import BlockComment */
            /*
             import MultiLineComment
             /* nested */ import StillInsideTheOuterComment
             */
            /* before */ import AfterBlockComment
            /// import DocComment
            import Real // import AfterCode
            """
        #expect(ImportScanner.imports(in: source) == [
            .init(module: "AfterBlockComment", line: 7),
            .init(module: "Real", line: 9),
        ])
    }

    @Test("the scanner skips imports in string literals")
    func strings() {
        let source = ###"""
            let a = "import InString"
            let b = """
            import InMultiLineString
            \"""
            import AfterEscapedTripleQuote
            """
            let c = #"import InRawString "# + "\"import AfterEscapedQuote"
            let d = ##"""
            import InRawMultiLineString
            """#
            """##
            let e = "\("import InInterpolation") import AfterInterpolation"
            let f = "unterminated
            import AfterUnterminatedString
            """###
        #expect(ImportScanner.imports(in: source) == [
            .init(module: "AfterUnterminatedString", line: 14),
        ])
    }

    @Test("the scanner reads attributes and access modifiers")
    func attributes() {
        let source = """
            @testable import A
            @_exported import B
            public import C
            internal import D
            package import E
            @preconcurrency import F
            @_spi(Internal) import G
            @preconcurrency private import H
            @_implementationOnly
            import I
            """
        #expect(ImportScanner.imports(in: source).map(\.module) == ["A", "B", "C", "D", "E", "F", "G", "H", "I"])
        #expect(ImportScanner.imports(in: source).last?.line == 10)
    }

    @Test("the scanner reads the module of kinded imports and submodules")
    func kindedImportsAndSubmodules() {
        let source = """
            import struct A.Thing
            import class B.Thing
            import func C.doThing
            import enum D.Kind
            import protocol E.Doing
            import typealias F.Alias
            import var G.value
            import let H.constant
            import I.Submodule.Deeper
            import `J`
            """
        #expect(ImportScanner.imports(in: source).map(\.module) == ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"])
    }

    @Test("the scanner counts imports under #if but not canImport conditions")
    func conditionalCompilation() {
        let source = """
            #if canImport(Glibc)
            import Glibc
            #elseif canImport(Darwin)
            import Darwin
            #endif
            func f(import value: Int) {}
            f(
                import: 3
            )
            """
        #expect(ImportScanner.imports(in: source) == [
            .init(module: "Glibc", line: 2),
            .init(module: "Darwin", line: 4),
        ])
    }
}
