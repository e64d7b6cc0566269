import Foundation
import HTTPTypes
@testable import StrongroomEdge
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// The OpenAPI document and the router describe the same routes: a route added without its
/// documentation, or documentation of a route that does not exist, fails here.
@Suite("Contract document")
struct ContractTests {
    /// Paths and methods from the document's `paths:` section (two-space indentation, as
    /// the document is written; a drift in that layout fails the count check below).
    static func documentedOperations(_ yaml: String) -> Set<String> {
        var operations: Set<String> = []
        var inPaths = false
        var currentPath: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if !line.isEmpty, !line.hasPrefix(" "), !line.hasPrefix("#") { break }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            } else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "put", "post", "delete", "patch", "head", "options"].contains(String(key)) {
                    operations.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        try await TestServer.with(.sqlite) { _, prepared, config in
            let yaml = String(decoding: OpenAPIDocument.bytes, as: UTF8.self)
            #expect(yaml.hasPrefix("openapi: 3.1"))
            let documented = Self.documentedOperations(yaml)
            let routed = Set(try ServerApp.routeTable(config, prepared: prepared).routes.map { "\($0.method.rawValue) \($0.path)" })
            #expect(!documented.isEmpty)
            #expect(routed.subtracting(documented).isEmpty, "routes missing from openapi.yaml: \(routed.subtracting(documented).sorted())")
            #expect(documented.subtracting(routed).isEmpty, "documented routes that do not exist: \(documented.subtracting(routed).sorted())")
        }
    }

    @Test func theParserReadsWhatItIsGiven() {
        let sample = """
            openapi: 3.1.0
            paths:
              /a:
                get:
                  summary: x
                post:
                  summary: y
              /b/{id}:
                delete:
                  responses: {}
            components:
              schemas: {}
            """
        #expect(Self.documentedOperations(sample) == ["GET /a", "POST /a", "DELETE /b/{id}"])
    }
}
