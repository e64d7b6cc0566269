import BookkeepingTestSupport
import Testing

/// The posting engine's rules and lifecycle with no I/O: the shared suite on the in-memory
/// store. `StorageTests` runs the same cases on SQLite and PostgreSQL.
@Suite("Posting engine, in memory")
struct PostingEngineTests {
    @Test(arguments: PostingEngineSuite.cases)
    func rule(_ suiteCase: PostingSuiteCase) async throws {
        try await suiteCase.run(on: InMemoryPostingStore())
    }
}
