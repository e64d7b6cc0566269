import Logging
import ServiceLifecycle

/// Refreshes `RuntimeMetrics` every `RuntimeMetrics.sampleIntervalSeconds`, so that what the
/// OTLP exporter sends between scrapes is current too; stops at once at a graceful shutdown.
struct RuntimeMetricsSampler: Service {
    let metrics: RuntimeMetrics
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await PeriodicSweep.run(every: RuntimeMetrics.sampleIntervalSeconds, logger: logger, failure: "metrics sample failed") {
                metrics.sample()
            }
        }
    }
}
