import Audit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Synchronization
import Testing

@testable import StrongroomServer

/// The sampled series of `GET /metrics`: the process's, the database pool's, the audit
/// outbox's depth and the audit checkpoint's age, each found in a real server's exposition
/// with a plausible value, and the sampler's arithmetic on figures a test sets.
@Suite("Runtime metrics")
struct RuntimeMetricsTests {
    /// The exposition's samples, `name{labels}` → value.
    static func samples(_ text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }

    static let hasProc = ProcessStatistics.readProcFile("/proc/self/stat") != nil

    @Test(arguments: TestBackend.available)
    func everySeriesIsInTheExpositionWithAPlausibleValue(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, config in
            let (_, scraper) = try await IdentityFixture.user("scraper", permissions: [.metricsRead], client: client, prepared: prepared)
            let before = Self.samples(try await MetricsTests.scrape(client, token: scraper).text)
            // The first checkpoint is an interval away: none yet.
            #expect(before["strongroom_audit_checkpoint_age_seconds"] == -1)
            try await prepared.checkpoints.checkpoint()

            let response = try await client.json(.get, "/metrics", token: scraper)
            let text = response.text
            let samples = Self.samples(text)
            for family in [
                "process_cpu_seconds_total counter", "process_resident_memory_bytes gauge", "process_virtual_memory_bytes gauge",
                "process_open_fds gauge", "process_max_fds gauge", "process_start_time_seconds gauge",
                "db_client_connection_count gauge", "db_client_connection_max gauge", "db_client_connection_wait_time_seconds histogram",
                "strongroom_audit_outbox_depth gauge", "strongroom_audit_checkpoint_age_seconds gauge",
            ] {
                #expect(text.contains("# TYPE \(family)\n"), "\(family)")
            }
            if Self.hasProc {
                #expect(samples["process_cpu_seconds_total"] ?? 0 > 0)
                #expect(samples["process_resident_memory_bytes"] ?? 0 > 1_048_576)
                #expect(samples["process_virtual_memory_bytes"] ?? 0 >= samples["process_resident_memory_bytes"] ?? 0)
                #expect(samples["process_open_fds"] ?? 0 > 3)
                #expect(samples["process_max_fds"] ?? 0 >= samples["process_open_fds"] ?? 0)
                let started = samples["process_start_time_seconds"] ?? 0
                #expect(started > Date().timeIntervalSince1970 - 86_400 * 7 && started <= Date().timeIntervalSince1970 + 1)
            }
            // The pool: SQLite's writer, or PostgreSQL's configured pool.
            let maximum = Double(backend == .sqlite ? 1 : config.databaseMaxConnections)
            #expect(samples["db_client_connection_max"] == maximum)
            let used = try #require(samples[#"db_client_connection_count{db_client_connection_state="used"}"#], "\(text)")
            #expect(used >= 0 && used <= maximum)
            let idle = samples[#"db_client_connection_count{db_client_connection_state="idle"}"#]
            #expect(backend == .sqlite ? idle.map { $0 + used } == 1 : idle == nil, "PostgreSQL does not say which connections are open")
            // Every transaction so far (the bootstrap's, the scraper's creation, its login) waited.
            #expect(samples["db_client_connection_wait_time_seconds_count"] ?? 0 >= 3, "\(text)")
            #expect(samples["db_client_connection_wait_time_seconds_sum"] ?? -1 >= 0)
            // Nothing was refused: the outbox is empty.
            #expect(samples["strongroom_audit_outbox_depth"] == 0)
            let age = try #require(samples["strongroom_audit_checkpoint_age_seconds"])
            #expect(age >= 0 && age < 60, "\(age)")
        }
    }

    /// Figures the test sets, through a sampler of its own: what each gauge shows, the CPU
    /// counter moving only forward, an outbox that fills, and the checkpoint's age on a clock
    /// the test moves.
    @Test func theSamplerSetsEachSeriesFromItsSource() async throws {
        try await TestDatabase.with(.sqlite) { persistence, _ in
            let clock = SteppingClock(start: Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000))
            let process = Mutex(ProcessStatistics(
                stat: nil, limits: nil, systemStat: nil, openFileDescriptors: nil, ticksPerSecond: 100, pageBytes: 4096
            ))
            let outbox = AuditOutbox(clock: clock)
            let coverage = AuditCheckpointCoverage()
            let metrics = ServerMetrics()
            let runtime = RuntimeMetrics(factory: metrics.factory, pool: metrics.pool, sources: .init(
                database: persistence.database, outbox: outbox, checkpoints: coverage, clock: clock, process: { process.withLock { $0 } }
            ))
            func sampled() -> [String: Double] {
                runtime.sample()
                return Self.samples(String(decoding: metrics.exposition(), as: UTF8.self))
            }

            // No /proc: the series are there, at 0; no checkpoint yet: -1.
            var samples = sampled()
            for name in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds"] {
                #expect(samples[name] == 0, "\(name)")
            }
            #expect(samples["strongroom_audit_checkpoint_age_seconds"] == -1)
            #expect(samples["strongroom_audit_outbox_depth"] == 0)
            #expect(samples["db_client_connection_max"] == 1)
            #expect(samples[#"db_client_connection_count{db_client_connection_state="idle"}"#] == 1)

            process.withLock { figures in
                figures.cpuSeconds = 1.5
                figures.residentMemoryBytes = 12_288_000
                figures.virtualMemoryBytes = 987_654_321
                figures.openFileDescriptors = 12
                figures.maxFileDescriptors = 20_000
                figures.startTimeSeconds = 1_796_642_398.5
            }
            for n in 0..<3 {
                outbox.add(AuditEvent(
                    action: "auth.login", resource: "user:~x", outcome: .failure, actor: .anonymous(from: "10.0.0.\(n)"),
                    requestID: "r\(n)", summary: [:]
                ))
            }
            coverage.covered(at: clock.now())
            clock.advance(seconds: 7)
            samples = sampled()
            #expect(samples["process_cpu_seconds_total"] == 1.5)
            #expect(samples["process_resident_memory_bytes"] == 12_288_000)
            #expect(samples["process_virtual_memory_bytes"] == 987_654_321)
            #expect(samples["process_open_fds"] == 12)
            #expect(samples["process_max_fds"] == 20_000)
            #expect(samples["process_start_time_seconds"] == 1_796_642_398.5)
            #expect(samples["strongroom_audit_outbox_depth"] == 3)
            #expect(samples["strongroom_audit_checkpoint_age_seconds"] == 7)

            // The counter follows the CPU time up, never down, and holds when it is unknown.
            process.withLock { $0.cpuSeconds = 2.25 }
            #expect(sampled()["process_cpu_seconds_total"] == 2.25)
            process.withLock { $0.cpuSeconds = 2 }
            #expect(sampled()["process_cpu_seconds_total"] == 2.25)
            process.withLock { $0.cpuSeconds = nil }
            #expect(sampled()["process_cpu_seconds_total"] == 2.25)
            _ = outbox.drain()
            #expect(sampled()["strongroom_audit_outbox_depth"] == 0)
        }
    }
}
