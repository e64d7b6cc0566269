import Audit
import Foundation
@testable import StrongroomEdge
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// The outbox keeps refused and denied requests bounded and counted: beyond its limits it
/// aggregates, and it never loses a count.
@Suite("Audit outbox")
struct AuditOutboxTests {
    static let clock = FixedClock(Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000))

    static func failedLogin(_ n: Int, source: String) -> AuditEvent {
        AuditEvent(
            action: "auth.login", resource: "user:~x", outcome: .failure, actor: .anonymous(from: source), requestID: "r\(n)",
            summary: ["status": .number(401)]
        )
    }

    /// What the drained events stand for: one each, or an aggregate's count.
    static func total(_ events: [AuditEvent]) -> Int64 {
        events.reduce(0) { sum, event in
            if event.resource == AuditOutbox.aggregateResource, case .number(let count)? = event.summary["count"] { return sum + count }
            return sum + 1
        }
    }

    @Test func aFloodIsCountedNotDroppedAndStaysBounded() {
        let outbox = AuditOutbox(limits: .init(maxEvents: 100, maxEventsPerKey: 1_000, maxTallies: 10), clock: Self.clock)
        for n in 0..<10_000 { outbox.add(Self.failedLogin(n, source: "10.0.\(n % 50).1")) }
        #expect(outbox.pendingCount == 10_000)
        let drained = outbox.drain().records
        #expect(Self.total(drained) == 10_000)
        // 100 single events, 10 tallies by source, then one overflow tally for the rest.
        #expect(drained.count == 100 + 10 + 1)
        #expect(drained.prefix(100).map(\.requestID) == (0..<100).map { "r\($0)" })
        let overflow = drained.filter { $0.actor.id == "*" }
        #expect(overflow.count == 1)
        #expect(outbox.drain().isEmpty)
    }

    @Test func oneSourceFloodingIsCountedAfterItsFirstFewEvents() {
        let outbox = AuditOutbox(limits: .init(maxEvents: 1_000, maxEventsPerKey: 16, maxTallies: 10), clock: Self.clock)
        for n in 0..<500 { outbox.add(Self.failedLogin(n, source: "203.0.113.9")) }
        outbox.add(Self.failedLogin(1_000, source: "198.51.100.1"))
        let drained = outbox.drain().records
        #expect(Self.total(drained) == 501)
        // 16 of the flooding source one by one, the other source's one, and one tally of 484.
        #expect(drained.count == 16 + 1 + 1)
        #expect(drained.contains { $0.requestID == "r1000" })
        #expect(drained.last?.summary["count"] == .number(484))
        // The next interval starts afresh.
        outbox.add(Self.failedLogin(2_000, source: "203.0.113.9"))
        #expect(outbox.drain().records.map(\.requestID) == ["r2000"])
    }

    @Test func aFailedFlushPutsEverythingBackAheadOfNewEvents() {
        let outbox = AuditOutbox(limits: .init(maxEvents: 5, maxEventsPerKey: 1_000, maxTallies: 10), clock: Self.clock)
        for n in 0..<8 { outbox.add(Self.failedLogin(n, source: "10.0.0.1")) }
        let first = outbox.drain()
        #expect(Self.total(first.records) == 8)
        outbox.add(Self.failedLogin(100, source: "10.0.0.2"))
        outbox.restore(first)
        let again = outbox.drain().records
        #expect(Self.total(again) == 9)
        #expect(again.prefix(5).map(\.requestID) == ["r0", "r1", "r2", "r3", "r4"])
    }
}

/// The checkpoint key: a configured 32-byte seed (hex or base64) or, without one, a key
/// derived from the master key; anything else refuses to start.
@Suite("Audit checkpoint key")
struct AuditCheckpointKeyTests {
    @Test func aSeedIsReadAsHexOrBase64AndAnythingElseIsRefused() async throws {
        try await TestServer.with(.sqlite) { _, prepared, config in
            let seed = (0..<32).map { UInt8($0 * 7 + 1) }
            let expected = try CheckpointSigner(name: config.auditOrigin, seed: seed).verifierKey
            var configured = config
            for text in [seed.map { String(format: "%02X", $0) }.joined(), Data(seed).base64EncodedString() + "\n"] {
                configured.auditCheckpointKey = SecretValue(text)
                #expect(try ServerApp.checkpointSigner(configured, box: prepared.box).verifierKey == expected)
            }
            configured.auditCheckpointKey = SecretValue("not a key")
            #expect(throws: ConfigurationError.self) { try ServerApp.checkpointSigner(configured, box: prepared.box) }
            let derived = try ServerApp.checkpointSigner(config, box: prepared.box).verifierKey
            #expect(derived != expected)
            #expect(derived == prepared.checkpoints.signer.verifierKey)
        }
    }
}
