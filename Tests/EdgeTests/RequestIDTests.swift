@testable import StrongroomEdge
import Testing

/// Generated request ids: API.md's shape, and no two alike.
@Suite("Request ids")
struct RequestIDTests {
    @Test func generatedIDsHaveTheContractsShapeAndDiffer() {
        let ids = (0..<2_000).map { _ in RequestID.generate() }
        #expect(ids.allSatisfy { $0.utf8.count == 20 && RequestID.isValid($0) })
        #expect(Set(ids).count == ids.count)
        // Every position varies (a half generated once would repeat across ids).
        for position in 0..<20 {
            #expect(Set(ids.map { Array($0.utf8)[position] }).count > 20, "position \(position)")
        }
    }

    @Test func aClientsSafeIDIsKeptAndAnUnsafeOneReplaced() {
        #expect(RequestID.accept("client-42.retry_1") == "client-42.retry_1")
        for unsafe in ["", "with space", "new\nline", String(repeating: "a", count: 65), "ü"] {
            let replaced = RequestID.accept(unsafe)
            #expect(replaced != unsafe && RequestID.isValid(replaced))
        }
    }
}
