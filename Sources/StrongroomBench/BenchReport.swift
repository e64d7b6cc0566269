import Foundation

/// What a run measured and found, printed and written as JSON.
public struct BenchReport: Codable, Sendable {
    public struct Latency: Codable, Sendable, Equatable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var p99_9: Double
        public var max: Double
        public var mean: Double

        enum CodingKeys: String, CodingKey {
            case p50, p90, p99, max, mean
            case p99_9 = "p99.9"
        }
    }

    public struct Books: Codable, Sendable {
        public var balances: Int
        public var operations: Int
        public var balanced: Bool
        /// The first breaches found (at most 20).
        public var findings: [String]
    }

    public struct LoginFlood: Codable, Sendable, Equatable {
        public var sent: Int
        public var answers: [String: Int]
    }

    public var started: String
    public var url: String
    public var mode: String
    public var connections: Int
    public var accounts: Int
    public var durationSeconds: Double
    public var rate: Double?
    public var zipf: Double?
    public var batch: Int?
    public var seed: UInt64
    public var transfers: Int
    public var transfersPerSecond: Double
    public var requests: Int
    public var requestsPerSecond: Double
    /// Milliseconds, from when a request was due (open loop) or sent (closed loop) to its answer.
    public var latencyMs: Latency
    public var errors: [String: Int]
    public var errorRatio: Double
    public var books: Books?
    /// The failed logins sent alongside (`--login-flood`): how many, and their answers by status.
    public var loginFlood: LoginFlood?
    /// Accounts frozen in the ledger before the run, outside its traffic (`--frozen-accounts`).
    public var frozenAccounts: Int?
    public var passed: Bool
    /// Why the run failed, if it did.
    public var failures: [String]

    enum CodingKeys: String, CodingKey {
        case started, url, mode, connections, accounts, rate, zipf, batch, seed, transfers, requests, errors, books, passed, failures
        case durationSeconds = "duration_seconds"
        case transfersPerSecond = "transfers_per_second"
        case requestsPerSecond = "requests_per_second"
        case latencyMs = "latency_ms"
        case errorRatio = "error_ratio"
        case loginFlood = "login_flood"
        case frozenAccounts = "frozen_accounts"
    }

    /// The verdict: books read and balanced, errors within the plan's bound, and none of the
    /// `problems` found along the way. A run whose server was meant to die (`booksDeferred`)
    /// is judged on its set-up and its problems only: its failed requests are expected, and
    /// its books are checked later by `bench verify`.
    mutating func judge(maxErrorRatio: Double, problems: [String] = [], booksDeferred: Bool = false) {
        failures = problems
        if booksDeferred {
            passed = failures.isEmpty
            return
        }
        if errorRatio > maxErrorRatio {
            failures.append("\(errors.values.reduce(0, +)) of \(requests) requests failed (\(Self.percent(errorRatio)), more than \(Self.percent(maxErrorRatio)))")
        }
        if let books, !books.balanced { failures.append("the books do not balance: \(books.findings.first ?? "")") }
        if books == nil, problems.isEmpty { failures.append("the books were not checked") }
        passed = failures.isEmpty
    }

    static func percent(_ ratio: Double) -> String { String(format: "%.3f %%", ratio * 100) }

    /// The human summary.
    public var text: String {
        var lines = [
            "mode \(mode), \(connections) connections, \(accounts) accounts, \(String(format: "%.1f", durationSeconds)) s"
                + (rate.map { ", open loop at \($0) req/s" } ?? ", closed loop") + (zipf.map { ", zipf \($0)" } ?? ", uniform"),
            String(format: "transfers/s   %.0f  (%d transfers answered 2xx)", transfersPerSecond, transfers),
            String(format: "requests/s    %.0f  (%d requests)", requestsPerSecond, requests),
            String(
                format: "latency ms    p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f", latencyMs.p50, latencyMs.p90, latencyMs.p99,
                latencyMs.p99_9, latencyMs.max
            ),
            "errors        " + (errors.isEmpty ? "none" : errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")),
        ]
        if let flood = loginFlood {
            lines.append(
                "login flood   \(flood.sent) failed logins sent alongside: "
                    + flood.answers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            )
        }
        if let frozenAccounts {
            lines.append("frozen        \(frozenAccounts) accounts in the ledger, outside the traffic")
        }
        if let books {
            lines.append("books         \(books.balanced ? "balanced" : "NOT balanced"): \(books.balances) balances, \(books.operations) operations")
            lines += books.findings.map { "  - \($0)" }
        }
        lines.append(passed ? "PASSED" : "FAILED: " + failures.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}
