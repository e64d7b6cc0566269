import ArgumentParser
import Foundation
import StrongroomBench

/// `strongroom bench`: the load generator (docs/PERFORMANCE.md says how each figure was made).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Drive a running server with transfers, report throughput and latency, then check the books.",
        discussion: """
            Sets up a fresh organization, ledger and funded accounts before the measured interval. \
            Exits 1 when the books do not balance or more than 0.1 % of requests fail.
            """
    )

    @Option(help: "The server's base URL, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "Log in as this user.") var username: String?
    @Option(help: "The user's password (or STRONGROOM_BENCH_PASSWORD).") var password: String?
    @Option(help: "Authenticate as this machine client.") var clientId: String?
    @Option(help: "The client's secret (or STRONGROOM_BENCH_CLIENT_SECRET).") var clientSecret: String?
    @Option(help: "Concurrent connections.") var connections = 64
    @Option(help: "Accounts created and funded before the run.") var accounts = 10_000
    @Option(help: "Seconds of measured load.") var duration = 30.0
    @Option(help: "Requests per second (open loop); closed loop when absent.") var rate: Double?
    @Option(help: "Zipf exponent of the account draw; uniform when absent.") var zipf: Double?
    @Option(help: "Transfers per request through the batch endpoint; one per request when absent.") var batch: Int?
    @Option(help: "Seed of the account and amount draws; random when absent.") var seed: UInt64?
    @Option(help: "Also write the report as JSON to this file.") var json: String?

    func validate() throws {
        guard (1...4096).contains(connections) else { throw ValidationError("--connections must be from 1 to 4096") }
        guard accounts >= 2 else { throw ValidationError("--accounts must be at least 2") }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        if let zipf, zipf < 0 { throw ValidationError("--zipf must not be negative") }
        if let batch, !(1...8190).contains(batch) { throw ValidationError("--batch must be from 1 to 8190") }
        guard (username == nil) != (clientId == nil) else { throw ValidationError("give --username or --client-id, one of them") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let credentials: Credentials
        if let username {
            guard let password = password ?? environment["STRONGROOM_BENCH_PASSWORD"] else {
                throw ValidationError("--password (or STRONGROOM_BENCH_PASSWORD) is needed with --username")
            }
            credentials = .user(username: username, password: password)
        } else {
            guard let clientId, let secret = clientSecret ?? environment["STRONGROOM_BENCH_CLIENT_SECRET"] else {
                throw ValidationError("--client-secret (or STRONGROOM_BENCH_CLIENT_SECRET) is needed with --client-id")
            }
            credentials = .client(id: clientId, secret: secret)
        }
        let plan = BenchPlan(
            url: url, credentials: credentials, connections: connections, accounts: accounts, duration: duration, rate: rate,
            zipf: zipf, batch: batch, seed: seed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        )
        let report: BenchReport
        do {
            report = try await Bench.run(plan) { line in FileHandle.standardError.write(Data("bench: \(line)\n".utf8)) }
        } catch {
            throw Refusal("bench could not run: \(error)")
        }
        print(report.text)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
        if !report.passed { throw ExitCode(1) }
    }
}
