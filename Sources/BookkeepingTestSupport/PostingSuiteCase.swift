/// One case of the shared posting suite: a name, and what it does with a fresh run. The
/// suites in `BookkeepingTests` and `StorageTests` take `PostingEngineSuite.cases` as their
/// arguments, so every backend runs the same cases.
public struct PostingSuiteCase: Sendable, CustomStringConvertible {
    public let description: String
    private let body: @Sendable (PostingSuiteRun) async throws -> Void

    init(_ description: String, _ body: @escaping @Sendable (PostingSuiteRun) async throws -> Void) {
        self.description = description
        self.body = body
    }

    /// Seeds `backend` with the suite's books and runs the case on it.
    public func run(on backend: any PostingSuiteBackend) async throws {
        try await body(try await PostingSuiteRun.open(on: backend))
    }
}
