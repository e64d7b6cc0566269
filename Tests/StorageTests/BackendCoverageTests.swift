import Foundation
import Storage
import StrongroomTestSupport
import Testing

/// Says, in the test output, which backends the store suites ran on, and proves each one
/// answers: with `STRONGROOM_TEST_REQUIRE_POSTGRES=1` (as scripts/test sets) a run without
/// a reachable PostgreSQL fails here rather than passing on SQLite alone.
@Suite("Store backends")
struct BackendCoverageTests {
    @Test func everyRequiredBackendIsReachable() async throws {
        var reached: [String] = []
        for backend in TestBackend.available {
            let answered = try await TestDatabase.with(backend) { persistence, _ in await persistence.ready() }
            #expect(answered, "\(backend) did not answer")
            if answered { reached.append(backend.rawValue) }
        }
        if ProcessInfo.processInfo.environment["STRONGROOM_TEST_REQUIRE_POSTGRES"] == "1" {
            #expect(reached == ["sqlite", "postgres"])
        }
        print("store conformance suites ran on: \(reached.joined(separator: ", "))")
    }
}
