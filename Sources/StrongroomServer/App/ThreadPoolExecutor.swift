import NIOPosix
import StrongroomKernel

/// Runs blocking work on a dedicated NIO thread pool, away from the two cooperative threads
/// these machines have.
struct ThreadPoolExecutor: BlockingExecutor {
    let pool: NIOThreadPool

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(work)
    }
}
