import Foundation
import Testing

@testable import StrongroomBench

@Suite("Bench report")
struct BenchReportTests {
    static func report(requests: Int, errors: [String: Int], balanced: Bool?) -> BenchReport {
        let failed = errors.values.reduce(0, +)
        return BenchReport(
            started: "2026-11-21T00:00:00Z", url: "http://127.0.0.1:8080", mode: "single", connections: 64, accounts: 10_000,
            durationSeconds: 10, rate: nil, zipf: nil, batch: nil, seed: 1, transfers: requests - failed,
            transfersPerSecond: Double(requests - failed) / 10, requests: requests, requestsPerSecond: Double(requests) / 10,
            latencyMs: .init(p50: 1, p90: 2, p99: 3, p99_9: 4, max: 5, mean: 1.5), errors: errors,
            errorRatio: Double(failed) / Double(requests),
            books: balanced.map { .init(balances: 10_001, operations: 20_000, balanced: $0, findings: $0 ? [] : ["balance @bench1 is not the sum of its operations"]) },
            loginFlood: nil, passed: false, failures: []
        )
    }

    @Test func aRunPassesOnlyWithBalancedBooksAndFewErrors() {
        var clean = Self.report(requests: 100_000, errors: ["422": 100], balanced: true)
        clean.judge(maxErrorRatio: 0.001)
        #expect(clean.passed, "0.1 % is within the bound")

        var noisy = Self.report(requests: 100_000, errors: ["422": 100, "transport": 1], balanced: true)
        noisy.judge(maxErrorRatio: 0.001)
        #expect(!noisy.passed)
        #expect(noisy.failures.count == 1)

        var unbalanced = Self.report(requests: 100_000, errors: [:], balanced: false)
        unbalanced.judge(maxErrorRatio: 0.001)
        #expect(!unbalanced.passed)

        var unchecked = Self.report(requests: 100_000, errors: [:], balanced: nil)
        unchecked.judge(maxErrorRatio: 0.001, problems: ["the books could not be read"])
        #expect(unchecked.failures == ["the books could not be read"])
    }

    @Test func theJSONNamesTheFiguresAsDocumented() throws {
        var report = Self.report(requests: 10, errors: [:], balanced: true)
        report.judge(maxErrorRatio: 0.001)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        for key in ["transfers_per_second", "requests_per_second", "latency_ms", "errors", "books", "passed"] {
            #expect(object[key] != nil, "\(key) missing")
        }
        let latency = try #require(object["latency_ms"] as? [String: Any])
        #expect(Set(latency.keys) == ["p50", "p90", "p99", "p99.9", "max", "mean"])
    }

    @Test func transferBodiesRenderMinorUnitsExactly() throws {
        let body = BenchPlan.transfer(from: 3, to: 9, minor: 105)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let send = try #require(object["send"] as? [String: Any])
        #expect(send["value"] as? String == "1.05")
        #expect(BenchPlan.transfer(from: 0, to: 1, minor: 7).contains(#""value":"0.07""#))
        #expect(BenchPlan.transfer(from: 0, to: 1, minor: 100).contains(#""value":"1.00""#))
        #expect(body.contains("@bench3") && body.contains("@bench9"))
    }
}
