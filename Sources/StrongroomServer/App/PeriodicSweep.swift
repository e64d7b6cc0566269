import Logging
import ServiceLifecycle

/// The loop every background sweeper runs: `sweep` once per interval until the service is
/// cancelled or the server shuts down gracefully. A failed sweep is logged by its error's
/// type (never its text, which may carry data) and simply tried again next time, since each
/// sweep reads what is due from the database afresh.
enum PeriodicSweep {
    static func run(
        every intervalSeconds: Int64, logger: Logger, failure: Logger.Message, _ sweep: () async throws -> Void
    ) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await sweep()
            } catch {
                logger.warning(failure, metadata: ["error_type": "\(String(reflecting: type(of: error)))"])
            }
            try? await Task.sleep(for: .seconds(intervalSeconds))
        }
    }
}
