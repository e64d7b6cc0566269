/// Checks the fence table, the declared dependencies and every import against each other.
/// Pure: the caller reads the files and runs SwiftPM.
struct FenceChecker: Sendable {
    struct SourceFile: Equatable, Sendable {
        var target: String
        /// Relative to the package root, as violations name it.
        var path: String
        var imports: [ImportScanner.Import]
    }

    struct Violation: Equatable, Sendable, CustomStringConvertible {
        var file: String
        var line: Int?
        var message: String

        var description: String {
            line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
        }
    }

    /// The standard library, which the compiler imports implicitly anyway.
    ///
    /// Deliberately not here: `Glibc`, `Musl`, `Darwin` and `Dispatch`. They are outside modules
    /// like any other, and a row must list them, because the C library hands a target files,
    /// sockets and the environment, and Dispatch hands it threads: exactly what a pure target
    /// such as LedgerCore is fenced off from.
    static let standardLibrary: Set<String> = ["Swift", "_Concurrency", "_StringProcessing"]

    /// swift-foundation's own layers of Foundation, so a row allowing `Foundation` allows these.
    /// `FoundationNetworking` is not one of them: it is I/O and must be listed.
    static let partsOfFoundation: Set<String> = ["FoundationEssentials", "FoundationInternationalization"]

    var table: FenceTable
    var graph: PackageGraph
    var tablePath = "docs/ARCHITECTURE.md"
    var manifestPath = "Package.swift"

    /// Every violation, in a stable order: the table, then the manifest, then the files as given.
    func violations(in files: [SourceFile]) -> [Violation] {
        tableViolations() + dependencyViolations() + files.flatMap(importViolations)
    }

    /// Modules a target links without importing, each with its reason: the only manifest
    /// entries and allowances that no `import` line accounts for.
    static let linkedWithoutImport: [String: Set<String>] = [
        // Storage calls SQLite's C API through VaporCSQLite, which SQLiteNIO's product builds.
        "Storage": ["SQLiteNIO"],
    ]

    /// Every allowance in the table, and every dependency in the manifest, that no file of its
    /// target imports: the table and the manifest are to say what a target uses, not what it
    /// once did or might, so a wall that has grown slack shows.
    func slack(in files: [SourceFile]) -> [Violation] {
        var used: [String: Set<String>] = [:]
        for file in files {
            for imported in file.imports {
                used[file.target, default: []].insert(imported.module)
                if Self.partsOfFoundation.contains(imported.module) { used[file.target, default: []].insert("Foundation") }
            }
        }
        for (target, modules) in Self.linkedWithoutImport { used[target, default: []].formUnion(modules) }
        let tableSlack = table.fences.sorted(by: { $0.value.line < $1.value.line }).flatMap { target, fence in
            fence.projectTargets.union(fence.outsideModules).subtracting(used[target] ?? []).sorted().map { name in
                Violation(file: tablePath, line: fence.line, message: "\(target)'s row allows \(name), which no file of \(target) imports")
            }
        }
        let manifestSlack = graph.targets.filter { !$0.isTest }.flatMap { target in
            Set(target.dependencies.map(\.name)).subtracting(used[target.name] ?? []).sorted().map { name in
                Violation(file: manifestPath, line: nil, message: "\(target.name) declares a dependency on \(name), which no file of it imports")
            }
        }
        return tableSlack + manifestSlack
    }

    private var projectTargets: Set<String> { Set(graph.targets.map(\.name)) }

    /// Test targets are not fenced; every other target is.
    private var fencedTargets: Set<String> { Set(graph.targets.filter { !$0.isTest }.map(\.name)) }

    private func tableViolations() -> [Violation] {
        var violations = fencedTargets.subtracting(table.fences.keys).sorted().map { target in
            Violation(file: tablePath, line: nil, message: "target \(target) has no row in the fence table")
        }
        for (target, fence) in table.fences.sorted(by: { $0.value.line < $1.value.line }) {
            func violation(_ message: String) -> Violation {
                Violation(file: tablePath, line: fence.line, message: message)
            }
            if !fencedTargets.contains(target) {
                violations.append(violation("the fence table has a row for \(target), which is not a non-test target of the package"))
            }
            for name in fence.projectTargets.subtracting(projectTargets).sorted() {
                violations.append(violation("\(target)'s row allows project target \(name), which is not a target of the package"))
            }
            for name in fence.outsideModules.intersection(projectTargets).sorted() {
                violations.append(violation("\(target)'s row lists \(name) as an outside module, but it is a project target"))
            }
        }
        return violations
    }

    private func dependencyViolations() -> [Violation] {
        graph.targets.flatMap { target -> [Violation] in
            // A target without a row has already been reported; its every dependency would only add noise.
            guard !target.isTest, let fence = table.fences[target.name] else { return [] }
            return target.dependencies.compactMap { dependency in
                let isProjectTarget = switch dependency {
                case .target: true
                case .product: false
                case .byName(let name): projectTargets.contains(name)
                }
                // Products are checked as outside modules by their product name: every product this
                // package uses is named after the module it brings, and a product no fence
                // lists is a wall breached in the manifest even before any file imports it.
                guard !isAllowed(dependency.name, isProjectTarget: isProjectTarget, by: fence) else { return nil }
                return Violation(
                    file: manifestPath, line: nil,
                    message: "\(target.name) declares a dependency on \(dependency.name), which its fence does not allow"
                )
            }
        }
    }

    private func importViolations(in file: SourceFile) -> [Violation] {
        guard let fence = table.fences[file.target] else { return [] }
        return file.imports.compactMap { imported in
            let module = imported.module
            guard module != file.target,
                  !isAllowed(module, isProjectTarget: projectTargets.contains(module), by: fence)
            else { return nil }
            return Violation(
                file: file.path, line: imported.line,
                message: "\(file.target) imports \(module), which its fence does not allow"
            )
        }
    }

    private func isAllowed(_ module: String, isProjectTarget: Bool, by fence: FenceTable.Fence) -> Bool {
        if isProjectTarget { return fence.projectTargets.contains(module) }
        if Self.standardLibrary.contains(module) { return true }
        if Self.partsOfFoundation.contains(module), fence.outsideModules.contains("Foundation") { return true }
        return fence.outsideModules.contains(module)
    }
}
