import Audit
import Foundation
import StrongroomKernel
import Testing

/// The chain's encoding, its extension, and the verifier against every kind of edit.
@Suite("Audit chain")
struct AuditChainTests {
    static let time = Timestamp(microsecondsSinceEpoch: 1_795_000_000_123_456)

    static func event(_ n: Int, outcome: AuditEvent.Outcome = .success) -> AuditEvent {
        AuditEvent(
            action: "transaction.create", resource: "transaction:\(n)", outcome: outcome,
            actor: AuditActor(kind: .user, id: "user-\(n % 3)", sourceAddress: n % 2 == 0 ? "127.0.0.1" : nil),
            requestID: "req-\(n)", summary: ["created": .list(["t\(n)"]), "count": .number(Int64(n))]
        )
    }

    static func chain(_ count: Int) -> [AuditRecord] {
        AuditChain.extend(.genesis, with: (1...count).map { event($0) }, at: time)
    }

    static func verify(_ records: [AuditRecord], checkpoints: [AuditCheckpoint] = []) -> AuditVerification {
        var verifier = AuditChainVerifier(checkpoints: checkpoints)
        for record in records where !verifier.consume(record) { break }
        return verifier.finish()
    }

    /// Pinned so that a change to the encoding, which would orphan every stored chain, cannot
    /// pass unnoticed.
    @Test func theEncodingIsPinned() {
        let record = AuditChain.extend(.genesis, with: [Self.event(1)], at: Self.time)[0]
        #expect(record.seq == 1)
        #expect(record.prevHash == String(repeating: "0", count: 64))
        #expect(record.summary == #"{"count":1,"created":["t1"]}"#)
        // Cross-checked with an independent Python implementation of the encoding in docs/ARCHITECTURE.md.
        #expect(record.hash == "4546b2719b51f5a12c551a39a3e5d672ec822668a8bdef92c6294fd1778ebed8")
    }

    @Test func everyFieldIsCoveredByTheHash() {
        let record = Self.chain(1)[0]
        func rehash(_ edit: (inout Fields) -> Void) -> String? {
            var fields = Fields(record)
            edit(&fields)
            return fields.record.derivedHash
        }
        let edits: [(String, (inout Fields) -> Void)] = [
            ("seq", { $0.seq += 1 }), ("time", { $0.time += 1 }), ("actor kind", { $0.actorKind = "client" }),
            ("actor id", { $0.actorID += "x" }), ("address", { $0.actorAddress = "10.0.0.1" }),
            ("action", { $0.action = "transaction.revert" }), ("resource", { $0.resource += "x" }),
            ("outcome", { $0.outcome = "failure" }), ("request id", { $0.requestID += "x" }),
            ("summary", { $0.summary = "{}" }), ("prev hash", { $0.prevHash = String(repeating: "1", count: 64) }),
            // Moving a byte between neighbouring fields must change the hash too.
            ("field boundary", { $0.actorID += "a"; $0.action = String($0.action.dropFirst()) }),
        ]
        for (name, edit) in edits {
            #expect(rehash(edit) != record.hash, "editing \(name) must change the hash")
        }
        #expect(rehash { _ in } == record.hash)
    }

    @Test func summariesHaveOneSpelling() throws {
        let summary: AuditSummary = ["zeta": .text("a\"b\\c\n\u{1}"), "alpha": .number(-3), "mid": .list([])]
        #expect(summary.canonicalText == #"{"alpha":-3,"mid":[],"zeta":"a\"b\\c\n\u0001"}"#)
        // Read back as JSON, the canonical text gives the same fields.
        let decoded = try JSONDecoder().decode([String: AuditSummary.Value].self, from: Data(summary.canonicalText.utf8))
        #expect(AuditSummary(decoded) == summary)
    }

    @Test func anIntactChainVerifies() {
        let records = Self.chain(10)
        #expect(Self.verify(records) == .valid(records: 10, head: AuditChainHead(seq: 10, hash: records[9].hash)))
        #expect(Self.verify([]) == .valid(records: 0, head: nil))
    }

    @Test func aChainExtendsFromItsHead() {
        let first = Self.chain(3)
        let rest = AuditChain.extend(AuditChainHead(seq: 3, hash: first[2].hash), with: [Self.event(4), Self.event(5)], at: Self.time)
        #expect(rest.map(\.seq) == [4, 5])
        #expect(Self.verify(first + rest).isValid)
    }

    @Test func anEditedFieldIsCaughtAtItsRecord() {
        var records = Self.chain(10)
        var fields = Fields(records[4])
        fields.outcome = "failure"
        records[4] = fields.record
        #expect(Self.verify(records) == .invalid(firstBadSeq: 5, reason: "the stored hash does not match the record's fields"))
    }

    @Test func aDeletedRecordIsCaughtWhereItWas() {
        var records = Self.chain(10)
        records.remove(at: 6)
        guard case .invalid(let seq, _) = Self.verify(records) else { Issue.record("deletion not caught"); return }
        #expect(seq == 7)
    }

    @Test func swappedRecordsAreCaught() {
        var records = Self.chain(10)
        var a = Fields(records[2]), b = Fields(records[3])
        (a.seq, b.seq) = (b.seq, a.seq)
        records[2] = b.record
        records[3] = a.record
        guard case .invalid(let seq, _) = Self.verify(records) else { Issue.record("swap not caught"); return }
        #expect(seq == 3)
    }

    @Test func anInsertedRecordIsCaught() {
        let records = Self.chain(10)
        // A forged record, correctly hashed, slipped in after record 4: record 5 no longer links.
        let forged = AuditChain.extend(AuditChainHead(seq: 4, hash: records[3].hash), with: [Self.event(99)], at: Self.time)[0]
        let renumbered = records[4...].map { record -> AuditRecord in
            var fields = Fields(record)
            fields.seq += 1
            return fields.record
        }
        let tampered = Array(records[..<4]) + [forged] + renumbered
        guard case .invalid(let seq, _) = Self.verify(tampered) else { Issue.record("insertion not caught"); return }
        #expect(seq == 6)
    }

    @Test func aRewrittenChainIsCaughtByItsCheckpoint() {
        let records = Self.chain(10)
        let checkpoint = AuditCheckpoint(origin: "example.test/audit", size: 8, headHash: records[7].hash)
        #expect(Self.verify(records, checkpoints: [checkpoint]).isValid)
        // Someone who can write the table re-hashes everything from record 3 on: the chain is
        // consistent with itself, but not with what was signed.
        var events = (1...10).map { Self.event($0) }
        events[2] = Self.event(3, outcome: .failure)
        let rewritten = AuditChain.extend(.genesis, with: events, at: Self.time)
        #expect(Self.verify(rewritten).isValid)
        guard case .invalid(let seq, _) = Self.verify(rewritten, checkpoints: [checkpoint]) else {
            Issue.record("rewrite not caught"); return
        }
        #expect(seq == 8)
    }

    @Test func aTailTruncatedBelowACheckpointIsCaught() {
        let records = Self.chain(10)
        let checkpoint = AuditCheckpoint(origin: "example.test/audit", size: 9, headHash: records[8].hash)
        #expect(Self.verify(Array(records.prefix(9)), checkpoints: [checkpoint]).isValid)
        #expect(
            Self.verify(Array(records.prefix(6)), checkpoints: [checkpoint])
                == .invalid(firstBadSeq: 7, reason: "the chain ends at 6 but a signed checkpoint covers 9 records")
        )
    }
}

/// A record's fields, editable, for building tampered copies.
struct Fields {
    var seq: Int64
    var time: Int64
    var actorKind: String
    var actorID: String
    var actorAddress: String?
    var action: String
    var resource: String
    var outcome: String
    var requestID: String
    var summary: String
    var prevHash: String
    var hash: String

    init(_ r: AuditRecord) {
        (seq, time, actorKind, actorID, actorAddress) = (r.seq, r.time.microsecondsSinceEpoch, r.actorKind, r.actorID, r.actorAddress)
        (action, resource, outcome, requestID, summary, prevHash, hash) = (r.action, r.resource, r.outcome, r.requestID, r.summary, r.prevHash, r.hash)
    }

    var record: AuditRecord {
        AuditRecord(
            seq: seq, time: Timestamp(microsecondsSinceEpoch: time), actorKind: actorKind, actorID: actorID, actorAddress: actorAddress,
            action: action, resource: resource, outcome: outcome, requestID: requestID, summary: summary, prevHash: prevHash, hash: hash
        )
    }
}
