import Foundation
import Histogram
import NIOHTTP1

/// `strongroom bench`: sets up a fresh organization, ledger and funded accounts on a running
/// server, drives the measured load, then checks the books through the API.
public enum Bench {
    public static func run(_ plan: BenchPlan, log: @escaping @Sendable (String) -> Void) async throws -> BenchReport {
        if plan.loginFloodRate != nil, FloodSender.Target(url: plan.url) == nil {
            throw BenchClient.Failure(description: "the login flood needs an http:// or https:// URL with a host, not \(plan.url)")
        }
        let client = BenchClient(base: plan.url, connections: plan.connections, credentials: plan.credentials)
        do {
            let report = try await run(plan, client: client, log: log)
            await client.shutdown()
            return report
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private static func run(_ plan: BenchPlan, client: BenchClient, log: @escaping @Sendable (String) -> Void) async throws -> BenchReport {
        let started = ISO8601DateFormatter().string(from: Date())
        log("setting up \(plan.accounts) accounts on \(plan.url)")
        let ledgerPath = try await setUp(plan, client: client)

        log("measuring for \(plan.duration) s")
        let load = LoadRun(plan: plan, client: client, ledgerPath: ledgerPath, sampler: PairSampler(count: plan.accounts, zipf: plan.zipf))
        let outcome = await load.run()
        let recorder = outcome.recorder
        let seconds = outcome.seconds

        var failures: [String] = []
        if let file = plan.acknowledgementFile {
            do {
                try AcknowledgementLog(ledgerPath: ledgerPath, acknowledgements: outcome.acknowledged).write(to: file)
                log("wrote \(outcome.acknowledged.count) acknowledged transfers to \(file)")
            } catch {
                failures.append("the acknowledgements could not be written to \(file): \(error)")
            }
        }
        var books: BenchReport.Books?
        if plan.expectInterruption {
            log("the server was expected to die: the books are left for `strongroom bench verify`")
        } else {
            log("checking the books")
            do {
                let check = try await BookCheck(ledgerPath: ledgerPath, parallel: min(plan.connections, 16)) { path in
                    let answer = try await client.send(.GET, path)
                    return (answer.status, answer.body)
                }.run()
                books = .init(balances: check.balances, operations: check.operations, balanced: check.balanced, findings: Array(check.findings.prefix(20)))
            } catch {
                failures.append("the books could not be read: \(error)")
            }
        }

        func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        let h = recorder.latencies
        var report = BenchReport(
            started: started, url: plan.url, mode: plan.batch == nil ? "single" : "batch", connections: plan.connections,
            accounts: plan.accounts, durationSeconds: seconds, rate: plan.rate, zipf: plan.zipf, batch: plan.batch, seed: plan.seed,
            transfers: recorder.transfers, transfersPerSecond: Double(recorder.transfers) / seconds, requests: recorder.requests,
            requestsPerSecond: Double(recorder.requests) / seconds,
            latencyMs: .init(
                p50: ms(h.valueAtPercentile(50)), p90: ms(h.valueAtPercentile(90)), p99: ms(h.valueAtPercentile(99)),
                p99_9: ms(h.valueAtPercentile(99.9)), max: ms(h.max), mean: h.mean / 1000
            ),
            errors: recorder.errors, errorRatio: recorder.requests == 0 ? 1 : Double(recorder.failed) / Double(recorder.requests),
            books: books, loginFlood: outcome.flood, passed: false, failures: []
        )
        report.frozenAccounts = plan.frozenAccounts > 0 ? plan.frozenAccounts : nil
        report.judge(maxErrorRatio: plan.maxErrorRatio, problems: failures, booksDeferred: plan.expectInterruption)
        return report
    }

    /// A fresh organization, ledger and asset, and `accounts` accounts each funded from the
    /// asset's external account; answers the ledger's path.
    static func setUp(_ plan: BenchPlan, client: BenchClient) async throws -> String {
        let organization = try await client.object(.POST, "/v1/organizations", #"{"legalName":"Strongroom bench","legalDocument":"00000000"}"#)
        guard let organizationID = organization["id"] as? String else { throw BenchClient.Failure(description: "no organization id") }
        let ledger = try await client.object(.POST, "/v1/organizations/\(organizationID)/ledgers", #"{"name":"bench \#(plan.seed)"}"#)
        guard let ledgerID = ledger["id"] as? String else { throw BenchClient.Failure(description: "no ledger id") }
        let path = "/v1/organizations/\(organizationID)/ledgers/\(ledgerID)"
        _ = try await client.object(.POST, path + "/assets", #"{"name":"Bench coin","type":"currency","code":"\#(BenchPlan.asset)"}"#)

        // The freezes first: they need the login's step-up, which lasts its first minutes.
        for index in 0..<plan.frozenAccounts {
            let alias = BenchPlan.frozenAlias(index)
            let account = try await client.object(
                .POST, path + "/accounts", #"{"assetCode":"\#(BenchPlan.asset)","type":"deposit","alias":"\#(alias)","name":"\#(alias)"}"#
            )
            guard let accountID = account["id"] as? String else { throw BenchClient.Failure(description: "no account id") }
            _ = try await client.object(.POST, path + "/accounts/\(accountID)/freeze", #"{"reason":"bench: frozen, never in the traffic"}"#)
        }
        try await forEachIndex(plan.accounts, atMost: plan.connections) { index in
            let alias = BenchPlan.alias(index)
            _ = try await client.object(
                .POST, path + "/accounts", #"{"assetCode":"\#(BenchPlan.asset)","type":"deposit","alias":"\#(alias)","name":"\#(alias)"}"#
            )
            _ = try await client.object(
                .POST, path + "/transactions/inflow",
                #"{"send":{"asset":"\#(BenchPlan.asset)","value":"\#(BenchPlan.funding)","distribute":{"to":[{"accountAlias":"\#(alias)","remaining":"remaining"}]}}}"#
            )
        }
        return path
    }
}
