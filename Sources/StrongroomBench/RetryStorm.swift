import Foundation
import NIOHTTP1
import StrongroomKernel

/// `strongroom bench retry-storm`: many clients send the same transfers under the same
/// idempotency keys at once and again and again, retrying each 409 (the first is still
/// running) until they get an answer. The server passes when each key took effect exactly
/// once and every answer that was not a 409 is the first answer, byte for byte.
public struct RetryStorm: Sendable {
    public struct Plan: Sendable {
        public var url: String
        public var credentials: Credentials
        /// Concurrent clients, each with its own connection.
        public var clients: Int
        /// Distinct idempotency keys (one transfer each).
        public var keys: Int
        /// How many times each client sends each key.
        public var rounds: Int
        public var seed: UInt64

        public init(url: String, credentials: Credentials, clients: Int, keys: Int, rounds: Int, seed: UInt64) {
            self.url = url
            self.credentials = credentials
            self.clients = clients
            self.keys = keys
            self.rounds = rounds
            self.seed = seed
        }
    }

    /// One non-409 answer to a key.
    public struct Answer: Sendable, Equatable {
        public let status: Int
        public let body: Data
        public let replayed: Bool

        public init(status: Int, body: Data, replayed: Bool) {
            self.status = status
            self.body = body
            self.replayed = replayed
        }
    }

    public struct Report: Sendable {
        public var requests = 0
        public var conflicts = 0
        public var answers = 0
        public var findings: [String] = []

        public var passed: Bool { findings.isEmpty }

        public var text: String {
            var lines = ["\(requests) requests: \(answers) answers, \(conflicts) answered 409 and retried"]
            lines += findings.prefix(50).map { "  - \($0)" }
            lines.append(passed ? "PASSED" : "FAILED: \(findings.count) findings")
            return lines.joined(separator: "\n")
        }
    }

    /// How long one client keeps retrying a key that answers 409 before calling it stuck.
    static let retryLimit = Duration.seconds(30)

    let plan: Plan

    public init(plan: Plan) {
        self.plan = plan
    }

    public func run(log: @escaping @Sendable (String) -> Void) async throws -> Report {
        let client = BenchClient(base: plan.url, connections: plan.clients, credentials: plan.credentials)
        do {
            let report = try await run(client: client, log: log)
            await client.shutdown()
            return report
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private func run(client: BenchClient, log: @escaping @Sendable (String) -> Void) async throws -> Report {
        let setup = BenchPlan(
            url: plan.url, credentials: plan.credentials, connections: plan.clients, accounts: 2, duration: 1, rate: nil, zipf: nil,
            batch: nil, seed: plan.seed
        )
        let ledger = try await Bench.setUp(setup, client: client)
        log("\(plan.clients) clients send each of \(plan.keys) keys \(plan.rounds) times, retrying every 409")

        var report = Report()
        var answers = [[Answer]](repeating: [], count: plan.keys)
        try await withThrowingTaskGroup(of: Client.self) { group in
            for index in 0..<plan.clients {
                group.addTask { try await storm(as: index, ledger: ledger, client: client) }
            }
            for try await finished in group {
                report.requests += finished.requests
                report.conflicts += finished.conflicts
                report.findings += finished.findings
                for (key, answer) in finished.answers { answers[key].append(answer) }
            }
        }
        for key in 0..<plan.keys {
            report.answers += answers[key].count
            report.findings += Self.findings(key: key, answers: answers[key])
        }

        log("checking that each key took effect once")
        report.findings += try await effects(ledger: ledger, client: client)
        return report
    }

    /// One client's share of the storm.
    struct Client: Sendable {
        var requests = 0
        var conflicts = 0
        var answers: [(Int, Answer)] = []
        var findings: [String] = []
    }

    /// Every key, `rounds` times: the first round in the same order for every client, so all
    /// of them collide on each key; later rounds in an order of the client's own.
    private func storm(as index: Int, ledger: String, client: BenchClient) async throws -> Client {
        var random = SplitMix64(seed: plan.seed &+ UInt64(index) &* 0x9E37_79B9)
        var mine = Client()
        for round in 0..<plan.rounds {
            let order = round == 0 ? Array(0..<plan.keys) : Array(0..<plan.keys).shuffled(using: &random)
            for key in order {
                let started = ContinuousClock.now
                while true {
                    mine.requests += 1
                    let answer = try await client.send(
                        .POST, ledger + "/transactions/json", body: Data(body(key).utf8), headers: [("Idempotency-Key", keyName(key))]
                    )
                    guard answer.status == 409 else {
                        mine.answers.append(
                            (key, Answer(status: answer.status, body: answer.body, replayed: answer.headers["X-Idempotency-Replayed"].first == "true"))
                        )
                        break
                    }
                    mine.conflicts += 1
                    guard ContinuousClock.now - started < Self.retryLimit else {
                        mine.findings.append("key \(keyName(key)) still answered 409 after \(Self.retryLimit)")
                        break
                    }
                    try await Task.sleep(for: .milliseconds(Int.random(in: 1...20, using: &random)))
                }
            }
        }
        return mine
    }

    private func keyName(_ key: Int) -> String { "storm-\(plan.seed)-\(key)" }

    /// Key k moves k + 1 minor units from the first account to the second.
    private func body(_ key: Int) -> String { BenchPlan.transfer(from: 0, to: 1, minor: key + 1) }

    /// What is wrong with the answers one key got: all must equal the first (status and
    /// body), and exactly one may be the original rather than a replay.
    public static func findings(key: Int, answers: [Answer]) -> [String] {
        guard let first = answers.first(where: { !$0.replayed }) ?? answers.first else { return ["key \(key) got no answer"] }
        var findings: [String] = []
        let originals = answers.filter { !$0.replayed }.count
        if originals != 1 { findings.append("key \(key) was answered as an original \(originals) times, not once") }
        let different = answers.filter { $0.status != first.status || $0.body != first.body }
        if let other = different.first {
            findings.append(
                "key \(key): \(different.count) of \(answers.count) answers differ from the first (\(first.status) vs \(other.status): "
                    + String(decoding: other.body.prefix(200), as: UTF8.self) + ")"
            )
        }
        if !(200..<300).contains(first.status) {
            findings.append("key \(key) was refused: \(first.status) \(String(decoding: first.body.prefix(200), as: UTF8.self))")
        }
        return findings
    }

    /// Exactly one effect per key: the ledger holds the two fundings and one transfer per key,
    /// the second account received exactly the keys' amounts, and the books balance.
    private func effects(ledger: String, client: BenchClient) async throws -> [String] {
        var findings: [String] = []
        var transactions = 0
        var cursor: String?
        repeat {
            let page = try await client.object(.GET, ledger + "/transactions?limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""))
            transactions += (page["items"] as? [Any])?.count ?? 0
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        let expected = 2 + plan.keys
        if transactions != expected { findings.append("the ledger holds \(transactions) transactions, not \(expected) (2 fundings and 1 per key)") }

        let balance = try await client.object(.GET, ledger + "/accounts/alias/\(BenchPlan.alias(1))/balances")
        let available = ((balance["items"] as? [[String: Any]])?.first?["available"] as? String).flatMap(BookCheck.minor)
        let funding = BookCheck.minor(BenchPlan.funding) ?? 0
        let received = Int128(plan.keys * (plan.keys + 1) / 2)
        if available != funding + received {
            findings.append("\(BenchPlan.alias(1)) holds \(available.map(String.init) ?? "?") minor units, not \(funding + received)")
        }
        let books = try await BookCheck(ledgerPath: ledger, parallel: 4) { path in
            let answer = try await client.send(.GET, path)
            return (answer.status, answer.body)
        }.run()
        return findings + books.findings
    }
}
