import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Races through the posting path: many requests at once, on both backends, and two server
/// processes on one PostgreSQL database. No balance goes below what it allows, each
/// lifecycle step happens once, and the books balance afterwards.
@Suite("Ledger concurrency")
struct LedgerConcurrencyTests {
    @Test(arguments: TestBackend.available)
    func racingRequestsNeverOverdrawAndCommitOnce(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            try await ledger.account("@alice")
            try await ledger.account("@bob")
            _ = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))

            // 40 transfers of 10.00 from an account holding 100.00: exactly ten succeed.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask { Int(try await ledger.post("/transactions/json", LedgerFixture.transfer("@alice", "@bob", "10.00")).status.code) }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 10)
            #expect(statuses.filter { $0 == 422 }.count == 30)
            #expect(try await ledger.money("@alice") == ("0.00", "0.00"))
            #expect(try await ledger.money("@bob") == ("100.00", "0.00"))

            // Twenty commits and twenty cancels of one pending transaction: exactly one wins.
            let held = try await ledger.posted("json", LedgerFixture.transfer("@bob", "@alice", "25.00", extra: #""pending":true,"#))
            let id = try #require(held["id"] as? String)
            let outcomes = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for index in 0..<40 {
                    let step = index % 2 == 0 ? "commit" : "cancel"
                    group.addTask { (step, Int(try await ledger.post("/transactions/\(id)/\(step)", "").status.code)) }
                }
                return try await group.reduce(into: [(String, Int)]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0.1 == 201 }.count == 1)
            #expect(outcomes.filter { $0.1 == 422 }.count == 39)
            let winner = try #require(outcomes.first { $0.1 == 201 }?.0)
            #expect(try await ledger.money("@bob") == (winner == "commit" ? ("75.00", "0.00") : ("100.00", "0.00")))
            try await BookAudit(base: ledger.base, fetch: ledger.fetch).verify()
        }
    }

    @Test(arguments: TestBackend.available)
    func aRandomConcurrentWorkloadKeepsTheBooks(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, _, _ in
            let ledger = try await LedgerFixture.make(client)
            let aliases = (0..<6).map { "@acct\($0)" }
            for alias in aliases {
                try await ledger.account(alias)
                _ = try await ledger.posted("inflow", LedgerFixture.inflow(alias, "50.00"))
            }
            let od = try #require(try await ledger.balance("@acct0")["id"] as? String)
            _ = try await ledger.send(.patch, "/balances/\(od)", #"{"allowOverdraft":true,"overdraftLimit":"20.00"}"#)

            let succeeded = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        var random = SplitMix64(seed: UInt64(worker + 1))
                        var posted = 0
                        for _ in 0..<25 {
                            let from = aliases[Int(random.next() % 6)]
                            var to = aliases[Int(random.next() % 6)]
                            if to == from { to = aliases[(aliases.firstIndex(of: from)! + 1) % 6] }
                            let value = "\(random.next() % 30 + 1).\(String(format: "%02d", random.next() % 100))"
                            switch random.next() % 4 {
                            case 0:
                                let held = try await ledger.post(
                                    "/transactions/json", LedgerFixture.transfer(from, to, value, extra: #""pending":true,"#)
                                )
                                if held.status == .created, let id = try held.object()["id"] as? String {
                                    let step = random.next() % 2 == 0 ? "commit" : "cancel"
                                    if try await ledger.post("/transactions/\(id)/\(step)", "").status == .created { posted += 1 }
                                }
                            case 1:
                                let sent = try await ledger.post("/transactions/json", LedgerFixture.transfer(from, to, value))
                                if sent.status == .created, let id = try sent.object()["id"] as? String {
                                    if try await ledger.post("/transactions/\(id)/revert", "").status == .created { posted += 1 }
                                }
                            default:
                                if try await ledger.post("/transactions/json", LedgerFixture.transfer(from, to, value)).status == .created { posted += 1 }
                            }
                        }
                        return posted
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(succeeded > 20, "the workload should move money, not only be refused")
            let operations = try await BookAudit(base: ledger.base, fetch: ledger.fetch).verify()
            #expect(operations > 40)
            let overdrawn = try await ledger.money("@acct0")
            #expect((BookAudit.minor(overdrawn.available) ?? 0) >= -2000)
            for alias in aliases.dropFirst() {
                #expect((BookAudit.minor(try await ledger.money(alias).available) ?? -1) >= 0, "\(alias) went below zero")
            }
        }
    }
}

extension LedgerFixture {
    /// GET through the same client, for `BookAudit`.
    var fetch: BookAudit.Fetch {
        { [client, token] path in
            let response = try await client.json(.get, path, token: token)
            return (Int(response.status.code), Data(response.body.readableBytesView))
        }
    }
}
