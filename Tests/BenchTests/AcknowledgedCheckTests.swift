import Foundation
import Testing

@testable import StrongroomBench

/// The survival check of the crash and database-fault suites, fed answers a server might give
/// after a crash: whole, missing, half-applied, pending, for another amount. Each breach must
/// be named; a check that always passed would let a lost acknowledgement through.
@Suite("Acknowledged check")
struct AcknowledgedCheckTests {
    static let ledger = "/v1/organizations/o/ledgers/l"
    static let acknowledged = Acknowledgement(id: "t1", source: "@a", destination: "@b", value: "0.42")

    static func operation(_ type: String, _ alias: String, _ value: String) -> String {
        #"{"type":"\#(type)","accountAlias":"\#(alias)","amount":{"value":"\#(value)"}}"#
    }

    static func transaction(status: String = "APPROVED", amount: String = "0.42", operations: [String]? = nil) -> Data {
        let operations = operations ?? [operation("DEBIT", "@a", "0.42"), operation("CREDIT", "@b", "0.42")]
        return Data(#"{"id":"t1","status":{"code":"\#(status)"},"amount":"\#(amount)","operations":[\#(operations.joined(separator: ","))]}"#.utf8)
    }

    static func check(status: Int = 200, _ body: Data) async throws -> AcknowledgedCheck.Result {
        let log = AcknowledgementLog(ledgerPath: ledger, acknowledgements: [acknowledged])
        return try await AcknowledgedCheck(log: log) { path in
            path == "\(ledger)/transactions/t1" ? (status, body) : (404, Data())
        }.run()
    }

    @Test func aWholeTransferPasses() async throws {
        let result = try await Self.check(Self.transaction())
        #expect(result.findings == [])
        #expect(result.checked == 1)
    }

    @Test func aMissingTransferFails() async throws {
        let result = try await Self.check(status: 404, Data())
        #expect(result.findings == ["acknowledged transaction t1 is missing"])
    }

    @Test func aHalfAppliedTransferFails() async throws {
        let result = try await Self.check(Self.transaction(operations: [Self.operation("DEBIT", "@a", "0.42")]))
        #expect(result.findings.count == 1)
        #expect(result.findings.first?.contains("has operations [DEBIT @a 0.42]") == true)
    }

    @Test func aTransferToTheWrongAccountOrForAnotherAmountFails() async throws {
        let wrongAccount = try await Self.check(
            Self.transaction(operations: [Self.operation("DEBIT", "@a", "0.42"), Self.operation("CREDIT", "@c", "0.42")])
        )
        #expect(wrongAccount.findings.count == 1)
        let wrongAmount = try await Self.check(Self.transaction(amount: "0.43"))
        #expect(wrongAmount.findings == ["acknowledged transaction t1 is for 0.43, not 0.42"])
    }

    @Test func aTransferNotApprovedFails() async throws {
        let result = try await Self.check(Self.transaction(status: "PENDING"))
        #expect(result.findings == ["acknowledged transaction t1 is PENDING, not APPROVED"])
    }

    @Test func anAcknowledgementWithoutAnIdFails() async throws {
        let log = AcknowledgementLog(ledgerPath: Self.ledger, acknowledgements: [.init(id: "", source: "@a", destination: "@b", value: "0.42")])
        let result = try await AcknowledgedCheck(log: log) { _ in (200, Self.transaction()) }.run()
        #expect(result.findings == ["a transfer of @a to @b was answered 2xx without an id"])
    }

    @Test func theLogRoundTripsThroughItsFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("acknowledged-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = AcknowledgementLog(ledgerPath: Self.ledger, acknowledgements: [Self.acknowledged, .init(id: "t2", source: "@b", destination: "@a", value: "1.00")])
        try log.write(to: path)
        #expect(try AcknowledgementLog.read(from: path) == log)
        try Data("not json\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: AcknowledgementLog.Malformed.self) { try AcknowledgementLog.read(from: path) }
    }
}
