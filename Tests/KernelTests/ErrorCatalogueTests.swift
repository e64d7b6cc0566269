import Foundation
import StrongroomKernel
import Testing

/// The error catalogue is the one list of codes: each unique, each documented in the
/// contract with its status, and none made anywhere else. Clients branch on codes, so a
/// duplicate or an undocumented one is a broken promise, not a style slip.
@Suite("Error catalogue")
struct ErrorCatalogueTests {
    static let catalogueFile = "Sources/StrongroomKernel/ErrorCatalogue.swift"
    static let codeFile = "Sources/StrongroomKernel/ErrorCode.swift"

    @Test func codesAreUniqueAndAllListed() throws {
        let declarations = try Self.declarations()
        #expect(!declarations.isEmpty)
        #expect(Self.duplicates(declarations.map(\.name)).isEmpty, "Swift names declared twice")
        #expect(Self.duplicates(declarations.map(\.code)).isEmpty, "codes declared twice")
        #expect(Self.duplicates(ErrorCode.all.map(\.rawValue)).isEmpty, "codes listed twice in `all`")
        // `all` is what the other checks see: a declaration left out of it would escape them.
        #expect(Set(ErrorCode.all.map(\.rawValue)) == Set(declarations.map(\.code)))
        #expect(ErrorCode.all.count == declarations.count)
        let declared = Set(declarations.map { "\($0.code) \($0.kind)" })
        #expect(Set(ErrorCode.all.map { "\($0.rawValue) \($0.kind.rawValue)" }) == declared)
        for code in ErrorCode.all {
            #expect(code.rawValue.wholeMatch(of: /SR-[0-9]{4}/) != nil, "\(code.rawValue) is not SR- and four digits")
            #expect(!code.title.isEmpty, "\(code.rawValue) has no title")
        }
    }

    @Test func everyCodeIsInTheContractWithItsStatus() throws {
        let rows = try Self.contractRows()
        #expect(Self.duplicates(rows.map(\.code)).isEmpty, "codes documented twice")
        let documented = Dictionary(rows.map { ($0.code, $0.status) }, uniquingKeysWith: { first, _ in first })
        for code in ErrorCode.all {
            #expect(documented[code.rawValue] != nil, "\(code.rawValue) is not in openapi.yaml's code table")
            if let status = documented[code.rawValue] {
                #expect(status == Self.status(of: code.kind), "\(code.rawValue): openapi.yaml says \(status)")
            }
        }
        let catalogued = Set(ErrorCode.all.map(\.rawValue))
        #expect(documented.keys.filter { !catalogued.contains($0) }.sorted() == [], "documented codes the catalogue lacks")
    }

    /// A code made outside the catalogue would let a code's answer drift from the one the
    /// catalogue and the contract promise. (A throw site cannot name its own status: the only
    /// initializer takes the kind from the code.)
    @Test func noCodeIsMadeOutsideTheCatalogue() throws {
        let root = try Self.packageRoot()
        let sources = root.appending(path: "Sources")
        let rules: [(String, Regex<Substring>)] = [
            ("extends ErrorCode", /extension\s+ErrorCode\b/),
            ("constructs an ErrorCode", /(?:^|[^A-Za-z0-9_])ErrorCode\s*\(/),
            ("declares a code from a literal", /:\s*(?:Self|ErrorCode)\s*=\s*"/),
            ("spells a code as a string", /"SR-[0-9]/),
        ]
        var offences: [String] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let path = String(file.path(percentEncoded: false).dropFirst(root.path(percentEncoded: false).count))
            guard path != Self.catalogueFile, path != Self.codeFile else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for (what, rule) in rules where text.contains(rule) {
                offences.append("\(path) \(what)")
            }
        }
        #expect(offences.sorted() == [])
    }

    // MARK: Reading the sources

    struct Declaration {
        let name: String
        let code: String
        let kind: String
    }

    /// The catalogue's declarations as written, so a duplicate left out of `all` still shows.
    static func declarations() throws -> [Declaration] {
        let text = try String(contentsOf: packageRoot().appending(path: catalogueFile), encoding: .utf8)
        return text.matches(of: /static\s+let\s+(\w+)\s*=\s*ErrorCode\(\s*"([^"]*)"\s*,\s*\.(\w+)/).map {
            Declaration(name: String($0.output.1), code: String($0.output.2), kind: String($0.output.3))
        }
    }

    /// The `| SR-xxxx | status | meaning |` rows of the problem schema's code table.
    static func contractRows() throws -> [(code: String, status: String)] {
        let file = try packageRoot().appending(path: "Sources/StrongroomServer/Contract/openapi.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        return text.matches(of: /\|\s*(SR-[0-9A-Za-z]+)\s*\|\s*([^|]*?)\s*\|/).map { (String($0.output.1), String($0.output.2)) }
    }

    /// The status `Problem` answers a kind with, as the contract's table writes it.
    static func status(of kind: StrongroomError.Kind) -> String {
        switch kind {
        case .badRequest: "400"
        case .unauthorized: "401"
        case .forbidden: "403"
        case .notFound: "404"
        case .methodNotAllowed: "405"
        case .conflict: "409"
        case .gone: "410"
        case .payloadTooLarge: "413"
        case .unprocessable: "422"
        case .tooManyRequests: "429"
        case .unavailable: "503"
        case .internalFailure: "500"
        }
    }

    static func duplicates(_ values: [String]) -> [String] {
        Dictionary(grouping: values, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    }

    /// The nearest directory above this file that holds a `Package.swift`.
    static func packageRoot(above filePath: String = #filePath) throws -> URL {
        var directory = URL(filePath: filePath).deletingLastPathComponent()
        while directory.path(percentEncoded: false) != "/" {
            if FileManager.default.fileExists(atPath: directory.appending(path: "Package.swift").path(percentEncoded: false)) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile)
    }
}
