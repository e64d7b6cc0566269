import ArgumentParser
import Foundation
import StrongroomBench

/// `strongroom bench`: the load generator (docs/PERFORMANCE.md says how each figure was
/// made), and the checks the reliability suites run after they break a server.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load a running server, and check what it acknowledged.",
        subcommands: [BenchRun.self, BenchVerify.self, BenchRetryStorm.self],
        defaultSubcommand: BenchRun.self
    )
}

/// The server and who acts on it, shared by every bench command.
struct BenchTarget: ParsableArguments {
    @Option(help: "The server's base URL, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "Log in as this user.") var username: String?
    @Option(help: "The user's password (or STRONGROOM_BENCH_PASSWORD).") var password: String?
    @Option(help: "Authenticate as this machine client.") var clientId: String?
    @Option(help: "The client's secret (or STRONGROOM_BENCH_CLIENT_SECRET).") var clientSecret: String?

    func validate() throws {
        guard (username == nil) != (clientId == nil) else { throw ValidationError("give --username or --client-id, one of them") }
    }

    func credentials() throws -> Credentials {
        let environment = ProcessInfo.processInfo.environment
        if let username {
            guard let password = password ?? environment["STRONGROOM_BENCH_PASSWORD"] else {
                throw ValidationError("--password (or STRONGROOM_BENCH_PASSWORD) is needed with --username")
            }
            // The authenticator a step-up needs (--frozen-accounts): never on the command line,
            // where other users of the machine could read it.
            var authenticator: BenchAuthenticator?
            if let encoded = environment["STRONGROOM_BENCH_TOTP_SECRET"], !encoded.isEmpty {
                guard let parsed = BenchAuthenticator(base32: encoded) else {
                    throw ValidationError("STRONGROOM_BENCH_TOTP_SECRET is not a Base32 TOTP secret")
                }
                authenticator = parsed
            }
            return .user(username: username, password: password, authenticator: authenticator)
        }
        guard let clientId, let secret = clientSecret ?? environment["STRONGROOM_BENCH_CLIENT_SECRET"] else {
            throw ValidationError("--client-secret (or STRONGROOM_BENCH_CLIENT_SECRET) is needed with --client-id")
        }
        return .client(id: clientId, secret: secret)
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data("bench: \(line)\n".utf8))
    }
}

/// `strongroom bench [run]`: the measured load, then the books check.
struct BenchRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Drive a running server with transfers, report throughput and latency, then check the books.",
        discussion: """
            Sets up a fresh organization, ledger and funded accounts before the measured interval. \
            Exits 1 when the books do not balance or more than 0.1 % of requests fail.
            """
    )

    @OptionGroup var target: BenchTarget
    @Option(help: "Concurrent connections.") var connections = 64
    @Option(help: "Accounts created and funded before the run.") var accounts = 10_000
    @Option(help: "Seconds of measured load.") var duration = 30.0
    @Option(help: "Requests per second (open loop); closed loop when absent.") var rate: Double?
    @Option(help: "Zipf exponent of the account draw; uniform when absent.") var zipf: Double?
    @Option(help: "Transfers per request through the batch endpoint; one per request when absent.") var batch: Int?
    @Option(help: "Seed of the account and amount draws; random when absent.") var seed: UInt64?
    @Option(help: "Also write the report as JSON to this file.") var json: String?
    @Option(help: "Write every transfer the server acknowledged to this file (JSON lines), for `bench verify`.")
    var acknowledged: String?
    @Flag(
        help: """
            The server or its database will be killed during the run: each connection stops at its first transport error, \
            failed requests do not fail the run, and the books are left to `bench verify`.
            """
    )
    var expectInterruption = false
    @Option(help: "Also send this many failed logins per second during the measured interval (an unauthenticated flood).")
    var loginFlood: Double?
    @Option(
        help: """
            Also create and freeze this many accounts in the ledger, never in the traffic (what a freeze elsewhere costs). \
            Freezing needs a step-up: the user's TOTP secret in STRONGROOM_BENCH_TOTP_SECRET.
            """
    )
    var frozenAccounts = 0

    static let maxDurationSeconds = 86_400.0
    static let maxRatePerSecond = 1_000_000.0

    func validate() throws {
        // Bounded so the load generator's schedule (seconds × 10^9 as Int64 nanoseconds) cannot
        // overflow, and NaN or infinity is refused here rather than trapping later.
        if let loginFlood, !(loginFlood > 0 && loginFlood <= Self.maxRatePerSecond) {
            throw ValidationError("--login-flood must be from more than 0 to 1000000")
        }
        guard (1...4096).contains(connections) else { throw ValidationError("--connections must be from 1 to 4096") }
        guard accounts >= 2 else { throw ValidationError("--accounts must be at least 2") }
        guard duration > 0, duration <= Self.maxDurationSeconds else {
            throw ValidationError("--duration must be from more than 0 to 86400 seconds")
        }
        if let rate, !(rate > 0 && rate <= Self.maxRatePerSecond) {
            throw ValidationError("--rate must be from more than 0 to 1000000")
        }
        if let zipf, zipf < 0 { throw ValidationError("--zipf must not be negative") }
        if let batch, !(1...8190).contains(batch) { throw ValidationError("--batch must be from 1 to 8190") }
        guard (0...1000).contains(frozenAccounts) else { throw ValidationError("--frozen-accounts must be from 0 to 1000") }
    }

    func run() async throws {
        var plan = BenchPlan(
            url: target.url, credentials: try target.credentials(), connections: connections, accounts: accounts, duration: duration,
            rate: rate, zipf: zipf, batch: batch, seed: seed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        )
        plan.acknowledgementFile = acknowledged
        plan.expectInterruption = expectInterruption
        plan.loginFloodRate = loginFlood
        plan.frozenAccounts = frozenAccounts
        let report: BenchReport
        do {
            report = try await Bench.run(plan, log: BenchTarget.log)
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

/// `strongroom bench verify`: after a crash, every acknowledged transfer exists whole and
/// the books balance.
struct BenchVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every transfer in the acknowledgement files exists whole, and that their ledgers balance.",
        discussion: "Exits 0 when they do, 1 when anything acknowledged is missing or half-applied or the books do not balance."
    )

    @OptionGroup var target: BenchTarget
    @Argument(help: "Files written by `bench run --acknowledged`.") var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one acknowledgement file") }
    }

    func run() async throws {
        let verification: Bench.Verification
        do {
            verification = try await Bench.verify(url: target.url, credentials: try target.credentials(), files: files, log: BenchTarget.log)
        } catch {
            throw Refusal("bench verify could not run: \(error)")
        }
        print(verification.text)
        if !verification.passed { throw ExitCode(1) }
    }
}

/// `strongroom bench retry-storm`: many clients, the same idempotency keys, all at once and
/// again; exactly one effect per key and every answer the first.
struct BenchRetryStorm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry-storm",
        abstract: "Send the same keyed transfers from many clients at once, retrying each 409; check each took effect once.",
        discussion: """
            Exits 0 when every key moved money exactly once and every answer that was not a 409 equals the first, \
            byte for byte; 1 otherwise.
            """
    )

    @OptionGroup var target: BenchTarget
    @Option(help: "Concurrent clients.") var clients = 32
    @Option(help: "Distinct idempotency keys, one transfer each.") var keys = 20
    @Option(help: "How many times each client sends each key.") var rounds = 3
    @Option(help: "Seed of the keys and retry delays; random when absent.") var seed: UInt64?

    func validate() throws {
        guard (1...1024).contains(clients) else { throw ValidationError("--clients must be from 1 to 1024") }
        guard (1...10_000).contains(keys) else { throw ValidationError("--keys must be from 1 to 10000") }
        guard (1...1000).contains(rounds) else { throw ValidationError("--rounds must be from 1 to 1000") }
    }

    func run() async throws {
        let plan = RetryStorm.Plan(
            url: target.url, credentials: try target.credentials(), clients: clients, keys: keys, rounds: rounds,
            seed: seed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        )
        let report: RetryStorm.Report
        do {
            report = try await RetryStorm(plan: plan).run(log: BenchTarget.log)
        } catch {
            throw Refusal("bench retry-storm could not run: \(error)")
        }
        print(report.text)
        if !report.passed { throw ExitCode(1) }
    }
}
