import Metrics
import Storage
import StrongroomKernel
import Synchronization

/// The gauges that describe the running server rather than count its requests: the process
/// (Prometheus's standard process-collector series, from `/proc`), the database pool's use,
/// the audit outbox's depth and the audit checkpoint's age. Each is a reading, not an event,
/// so `sample()` takes them all afresh: every few seconds (`RuntimeMetricsSampler`, for the
/// OTLP export) and right before each `GET /metrics`, so a scrape is current.
final class RuntimeMetrics: Sendable {
    static let cpuName = "process_cpu_seconds_total"
    static let residentMemoryName = "process_resident_memory_bytes"
    static let virtualMemoryName = "process_virtual_memory_bytes"
    static let openFileDescriptorsName = "process_open_fds"
    static let maxFileDescriptorsName = "process_max_fds"
    static let startTimeName = "process_start_time_seconds"
    static let outboxDepthName = "strongroom_audit_outbox_depth"
    static let checkpointAgeName = "strongroom_audit_checkpoint_age_seconds"
    /// How often the gauges are refreshed between scrapes.
    static let sampleIntervalSeconds: Int64 = 5

    /// The sources the gauges read.
    struct Sources: Sendable {
        let database: any SQLDatabase
        let outbox: AuditOutbox
        let checkpoints: AuditCheckpointCoverage
        let clock: any WallClock
        var process: @Sendable () -> ProcessStatistics = { ProcessStatistics.current() }
    }

    private let sources: Sources
    private let pool: DatabasePoolMetrics
    /// A counter, as Prometheus's collector has it: moved by what the CPU time grew since the
    /// last sample, which `reportedCPUSeconds` remembers.
    private let cpu: FloatingPointCounter
    private let reportedCPUSeconds = Mutex<Double>(0)
    private let residentMemory: Gauge
    private let virtualMemory: Gauge
    private let openFileDescriptors: Gauge
    private let maxFileDescriptors: Gauge
    private let startTime: Gauge
    private let outboxDepth: Gauge
    private let checkpointAge: Gauge

    init(factory: any MetricsFactory, pool: DatabasePoolMetrics, sources: Sources) {
        self.sources = sources
        self.pool = pool
        cpu = FloatingPointCounter(label: Self.cpuName, factory: factory)
        residentMemory = Gauge(label: Self.residentMemoryName, factory: factory)
        virtualMemory = Gauge(label: Self.virtualMemoryName, factory: factory)
        openFileDescriptors = Gauge(label: Self.openFileDescriptorsName, factory: factory)
        maxFileDescriptors = Gauge(label: Self.maxFileDescriptorsName, factory: factory)
        startTime = Gauge(label: Self.startTimeName, factory: factory)
        outboxDepth = Gauge(label: Self.outboxDepthName, factory: factory)
        checkpointAge = Gauge(label: Self.checkpointAgeName, factory: factory)
    }

    /// Reads every source and sets every gauge. Cheap: a few small `/proc` reads, two atomic
    /// loads and the outbox's lock for a count. Safe to call from the sampler and a scrape at
    /// once.
    func sample() {
        let process = sources.process()
        if let seconds = process.cpuSeconds {
            let grown = reportedCPUSeconds.withLock { reported -> Double in
                guard seconds > reported else { return 0 }
                defer { reported = seconds }
                return seconds - reported
            }
            if grown > 0 { cpu.increment(by: grown) }
        }
        if let bytes = process.residentMemoryBytes { residentMemory.record(bytes) }
        if let bytes = process.virtualMemoryBytes { virtualMemory.record(bytes) }
        if let count = process.openFileDescriptors { openFileDescriptors.record(count) }
        if let count = process.maxFileDescriptors { maxFileDescriptors.record(count) }
        if let seconds = process.startTimeSeconds { startTime.record(seconds) }
        pool.record(sources.database.connectionPoolUse)
        outboxDepth.record(sources.outbox.pendingCount)
        checkpointAge.record(sources.checkpoints.ageSeconds(at: sources.clock.now()))
    }
}
