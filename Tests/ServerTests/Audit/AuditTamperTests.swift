import Audit
import Foundation
import HummingbirdTesting
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Tampering for real, with the owner's rights (which can switch the triggers off): each
/// edit must make `strongroom audit verify` exit 1 naming the first bad seq. The same cases
/// run against a verifier that always says valid, and must then go unnoticed: so these tests
/// depend on the verifier, not on something else failing.
@Suite("Audit tampering")
struct AuditTamperTests {
    /// One way to tamper, and the seq the verifier must name. `records` is how many the chain
    /// held at the checkpoint; more were appended after it.
    struct Tamper: Sendable, CustomStringConvertible {
        let description: String
        let expectedSeq: @Sendable (_ checkpointed: Int64, _ head: Int64) -> Int64
        let apply: @Sendable (_ owner: any SQLExecutor, _ checkpointed: Int64, _ head: Int64) async throws -> Void
    }

    typealias Verify = @Sendable (ServerConfiguration) async -> AuditCommands.Report

    static let realVerifier: Verify = { config in
        await AuditCommands.verify(config, checkpointDirectory: nil, checkpointKey: nil, logger: TestDatabase.logger)
    }
    static let alwaysValid: Verify = { _ in AuditCommands.Report(exitCode: 0, lines: ["valid"]) }

    static let cases: [Tamper] = [
        Tamper(description: "edit one field of one record", expectedSeq: { _, _ in 3 }) { owner, _, _ in
            try await owner.execute("UPDATE audit_events SET outcome = 'failure' WHERE seq = 3")
        },
        Tamper(description: "delete a record", expectedSeq: { _, _ in 4 }) { owner, _, _ in
            try await owner.execute("DELETE FROM audit_events WHERE seq = 4")
        },
        Tamper(description: "insert a record, correctly hashed, and renumber the rest", expectedSeq: { _, _ in 6 }) { owner, _, _ in
            let rows = try await owner.query("SELECT seq, hash FROM audit_events WHERE seq = 4", [])
            let previous = AuditChainHead(seq: 4, hash: try rows[0].text("hash"))
            let forged = AuditChain.extend(previous, with: [AuditEvent(
                action: "transaction.create", resource: "transaction:forged", outcome: .success,
                actor: AuditActor(kind: .user, id: "mallory", sourceAddress: "10.6.6.6"), requestID: "forged"
            )], at: Timestamp(microsecondsSinceEpoch: 1))[0]
            try await owner.execute("UPDATE audit_events SET seq = seq + 1000000 WHERE seq > 4")
            try await owner.execute("UPDATE audit_events SET seq = seq - 999999 WHERE seq > 1000000")
            // A careful forger relinks the renumbered record to the forgery; its own hash still tells.
            try await owner.execute("UPDATE audit_events SET prev_hash = $1 WHERE seq = 6", [.text(forged.hash)])
            try await owner.execute(
                """
                INSERT INTO audit_events (seq, recorded_at, actor_kind, actor_id, actor_address, action, resource, outcome, request_id,
                summary, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                """,
                [
                    .int(forged.seq), .int(forged.time.microsecondsSinceEpoch), .text(forged.actorKind), .text(forged.actorID),
                    .text(forged.actorAddress!), .text(forged.action), .text(forged.resource), .text(forged.outcome),
                    .text(forged.requestID), .text(forged.summary), .text(forged.prevHash), .text(forged.hash),
                ]
            )
        },
        Tamper(description: "swap two records", expectedSeq: { _, _ in 2 }) { owner, _, _ in
            try await owner.execute("UPDATE audit_events SET seq = 1000002 WHERE seq = 2")
            try await owner.execute("UPDATE audit_events SET seq = 2 WHERE seq = 5")
            try await owner.execute("UPDATE audit_events SET seq = 5 WHERE seq = 1000002")
        },
        Tamper(description: "truncate the tail below a checkpoint", expectedSeq: { checkpointed, _ in checkpointed - 1 }) {
            owner, checkpointed, _ in
            try await owner.execute("DELETE FROM audit_events WHERE seq >= $1", [.int(checkpointed - 1)])
        },
    ]

    /// Builds a chain (bootstrap, a login, ledger writes), checkpoints it, appends more,
    /// checks it verifies, tampers as the owner, and answers what `verify` then reports.
    static func tamperAndVerify(_ backend: TestBackend, _ tamper: Tamper, with verify: Verify) async throws -> (
        report: AuditCommands.Report, expectedSeq: Int64
    ) {
        try await TestServer.with(backend) { client, prepared, config in
            let fixture = try await LedgerFixture.make(client)
            try await fixture.account("@a")
            let checkpoint = try #require(try await prepared.checkpoints.checkpoint())
            try await fixture.account("@b")
            _ = try await fixture.posted("inflow", LedgerFixture.inflow("@a", "5.00"))
            let head = try #require(try await prepared.persistence.audit.head()).seq
            #expect(head > checkpoint.size)
            #expect(await realVerifier(config).exitCode == 0, "the untouched chain verifies")

            let owner = try await Persistence.open(config.databaseOwnerURL, maximumConnections: 1, logger: TestDatabase.logger)
            do {
                try await owner.transaction { executor in
                    if backend == .postgres {
                        try await executor.execute("ALTER TABLE audit_events DISABLE TRIGGER USER")
                    } else {
                        try await executor.execute("DROP TRIGGER audit_events_no_update")
                        try await executor.execute("DROP TRIGGER audit_events_no_delete")
                    }
                    try await tamper.apply(executor, checkpoint.size, head)
                }
                await owner.close()
            } catch {
                await owner.close()
                throw error
            }
            return (await verify(config), tamper.expectedSeq(checkpoint.size, head))
        }
    }

    @Test(arguments: TestBackend.available, cases)
    func verifyExitsOneAndNamesTheFirstBadRecord(backend: TestBackend, tamper: Tamper) async throws {
        let (report, expected) = try await Self.tamperAndVerify(backend, tamper, with: Self.realVerifier)
        #expect(report.exitCode == 1, "\(report.lines)")
        #expect(report.lines.last?.hasPrefix("invalid: first bad seq \(expected):") == true, "\(report.lines)")
    }

    /// The control: with a verifier that always says valid, the same tampering is not caught,
    /// so the test above fails whenever the verifier does not do its work.
    @Test(arguments: TestBackend.available.prefix(1), cases)
    func anAlwaysValidVerifierMissesEveryTamper(backend: TestBackend, tamper: Tamper) async throws {
        let (report, _) = try await Self.tamperAndVerify(backend, tamper, with: Self.alwaysValid)
        #expect(report.exitCode == 0)
    }
}
