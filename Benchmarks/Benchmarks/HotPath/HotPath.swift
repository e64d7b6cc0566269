import Audit
import Benchmark
import Bookkeeping
import Foundation
import Identity
import LedgerCore
import Secrets
import StrongroomKernel

/// The four pieces of the write path the performance issue names, each alone and without
/// I/O: validating and planning a posting, decoding a transaction body, extending the audit
/// chain, verifying an access token.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))

    // A two-leg transfer of 12.34 from one balance to another: resolve the legs, then apply
    // the movement to the locked balances (the checks a posting passes before it is written).
    Benchmark("posting: resolve legs and plan a transfer") { benchmark in
        let value = try Amount(parsing: "12.34", scale: 2)
        let balances: [String: BalanceState] = [
            "a": try BalanceState.opened(scale: 2).credited(by: try Amount(parsing: "1000.00", scale: 2)),
            "b": BalanceState.opened(scale: 2),
        ]
        for _ in benchmark.scaledIterations {
            let sources = try LegResolver.resolve(value: value, allocations: [.amount(value)], side: "source")
            let destinations = try LegResolver.resolve(value: value, allocations: [.remaining], side: "distribute")
            var locked = balances
            let movements = try PostingPlanner.apply(
                .post(
                    sources: [PostingLeg(balanceID: "a", amount: sources[0])], destinations: [PostingLeg(balanceID: "b", amount: destinations[0])],
                    pending: false
                ),
                to: &locked
            )
            blackHole(movements)
        }
    }

    // The body `strongroom bench` sends for one transfer.
    Benchmark("decode: a transaction body") { benchmark in
        let body = Data(
            #"{"send":{"asset":"BNC","value":"0.42","source":{"from":[{"accountAlias":"@bench1","amount":{"asset":"BNC","value":"0.42"}}]},"distribute":{"to":[{"accountAlias":"@bench2","amount":{"asset":"BNC","value":"0.42"}}]}}}"#
                .utf8
        )
        let decoder = JSONDecoder()
        for _ in benchmark.scaledIterations {
            blackHole(try decoder.decode(TransactionBody.self, from: body))
        }
    }

    // One record's hash over its canonical encoding, linked to the previous head.
    Benchmark("audit: extend the chain by one record") { benchmark in
        let head = AuditChainHead(seq: 41, hash: String(repeating: "ab", count: 32))
        let event = AuditEvent(
            action: "transaction.create", resource: "transaction:01a1fe41-94b0-7273-9777-a8cdb7b68b14", outcome: .success,
            actor: AuditActor(kind: .user, id: "01a1fe41-94b0-7273-9777-a8cdb7b68b15", sourceAddress: "127.0.0.1"),
            requestID: "5j8lzaar5grllh12l6qn", summary: ["amount": .text("0.42"), "asset": .text("BNC")]
        )
        let at = Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000)
        for _ in benchmark.scaledIterations {
            blackHole(AuditChain.extend(head, with: [event], at: at))
        }
    }

    // An Ed25519-signed access token checked as every authenticated request checks it.
    Benchmark("token: verify an access token") { benchmark in
        let box = SecretBox(masterKey: MasterKey.generate())
        let now = Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000)
        let keyring = try await SigningKeyring(records: [try SigningKeyring.generateRecord(box: box, kid: "bench", at: now)], box: box)
        let service = AccessTokenService(
            settings: TokenSettings(issuer: "strongroom", audience: "strongroom-api", accessLifetimeSeconds: 600), keyring: keyring,
            clock: FixedClock(now)
        )
        let token = try await service.issue(subject: UUID(), kind: .user, restriction: nil).token.revealed
        for _ in benchmark.scaledIterations {
            blackHole(try await service.verify(token))
        }
    }
}
