/// Runs `body` for each index in `0..<count`, at most `width` at a time, handing each result
/// to `collect` as it arrives (in completion order). The first error stops the run.
func forEachIndex<T: Sendable>(
    _ count: Int, atMost width: Int, _ body: @escaping @Sendable (Int) async throws -> T, collect: (T) -> Void = { _ in }
) async throws {
    try await withThrowingTaskGroup(of: T.self) { group in
        var next = 0
        func start() {
            guard next < count else { return }
            let index = next
            next += 1
            group.addTask { try await body(index) }
        }
        for _ in 0..<max(1, width) { start() }
        while let result = try await group.next() {
            collect(result)
            start()
        }
    }
}
