import Foundation
import Subprocess
import SystemPackage

/// The package's targets and their declared dependencies, as SwiftPM itself reads the manifest.
///
/// Decoded from `swift package dump-package`, of which only this is used:
///
///     { "targets": [ { "name": "Secrets", "type": "regular", "path": "src/Secrets",
///                      "dependencies": [ { "byName": ["StrongroomKernel", null] },
///                                        { "target": ["Audit", null] },
///                                        { "product": ["Crypto", "swift-crypto", null, null] } ] } ] }
///
/// `path` is absent (or null) unless the manifest sets it. Each dependency is an object with one
/// key naming its kind, holding the case's associated values as an array: the name comes first,
/// then the package (for products), module aliases and the platform condition.
struct PackageGraph: Equatable, Sendable, Decodable {
    struct Target: Equatable, Sendable, Decodable {
        var name: String
        /// `regular`, `executable`, `test`, `macro`, `plugin`, `system`, `binary`.
        var type: String
        var path: String?
        var dependencies: [Dependency]

        var isTest: Bool { type == "test" }

        /// The directory holding the target's sources, relative to the package root.
        var sourcePath: String {
            if let path { return path }
            switch type {
            case "test": return "Tests/\(name)"
            case "plugin": return "Plugins/\(name)"
            default: return "Sources/\(name)"
            }
        }
    }

    enum Dependency: Equatable, Sendable, Decodable {
        /// A plain string in the manifest: a target of this package if one has that name, else a product.
        case byName(String)
        case target(String)
        case product(name: String, package: String?)

        var name: String {
            switch self {
            case .byName(let name), .target(let name), .product(let name, _): name
            }
        }

        private enum CodingKeys: String, CodingKey {
            case byName, target, product
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard let kind = container.allKeys.first else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath,
                    debugDescription: "a target dependency of a kind other than byName, target or product"
                ))
            }
            var values = try container.nestedUnkeyedContainer(forKey: kind)
            let name = try values.decode(String.self)
            switch kind {
            case .byName: self = .byName(name)
            case .target: self = .target(name)
            case .product: self = .product(name: name, package: try values.decodeIfPresent(String.self))
            }
        }
    }

    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    var targets: [Target]

    init(targets: [Target]) {
        self.targets = targets
    }

    /// Runs `swift package dump-package` in `packageRoot` and decodes its output.
    static func load(packageRoot: URL) async throws -> PackageGraph {
        // A scratch path of its own: under `swift test`, the outer SwiftPM holds the lock on the
        // package's `.build` while the tests run, and a nested command using it would wait forever.
        // A fixed one, because SwiftPM leaves a lock file in the temporary directory per scratch path.
        let scratch = FileManager.default.temporaryDirectory.appending(path: "strongroom-architecture-tests-scratch")
        // `swift` from PATH, normally the toolchain running these tests. Standard error stays
        // inherited, so SwiftPM's own explanation of a failure lands in the test log.
        let result = try await Subprocess.run(
            .name("swift"),
            arguments: ["package", "--scratch-path", scratch.path(percentEncoded: false), "dump-package"],
            workingDirectory: FilePath(packageRoot.path(percentEncoded: false)),
            output: .bytes(limit: 16 << 20),
            error: .currentStandardError
        )
        guard result.terminationStatus == .exited(0) else {
            throw LoadError(description: "swift package dump-package ended with \(result.terminationStatus)")
        }
        return try JSONDecoder().decode(PackageGraph.self, from: Data(result.standardOutput))
    }

    /// The nearest directory above `filePath` that holds a `Package.swift`.
    static func packageRoot(above filePath: String = #filePath) throws -> URL {
        var components = filePath.split(separator: "/")
        while !components.isEmpty {
            components.removeLast()
            let directory = "/" + components.joined(separator: "/")
            if FileManager.default.fileExists(atPath: "\(directory)/Package.swift") {
                return URL(filePath: directory, directoryHint: .isDirectory)
            }
        }
        throw LoadError(description: "no Package.swift in any directory above \(filePath)")
    }
}
