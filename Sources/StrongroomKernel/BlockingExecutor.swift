/// Runs CPU-heavy or blocking work (password hashing, file reads) away from the
/// cooperative thread pool, so that a burst of logins cannot stall request handling.
/// The server supplies one backed by a dedicated thread pool.
public protocol BlockingExecutor: Sendable {
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T
}

/// Runs the work inline. For tests and command-line tools only, where nothing else waits.
public struct InlineExecutor: BlockingExecutor {
    public init() {}

    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try work()
    }
}
