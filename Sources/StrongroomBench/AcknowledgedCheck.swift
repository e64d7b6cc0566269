import Foundation

/// Proves that every acknowledged transfer survived: each exists, approved, for its amount,
/// with exactly its two operations (a debit of the source and a credit of the destination).
/// A transfer in flight when the server died may exist or not; one that was answered 2xx must.
public struct AcknowledgedCheck: Sendable {
    public struct Result: Sendable, Equatable {
        public var checked = 0
        public var findings: [String] = []

        public var intact: Bool { findings.isEmpty }
    }

    let log: AcknowledgementLog
    let fetch: BookCheck.Fetch
    let parallel: Int

    public init(log: AcknowledgementLog, parallel: Int = 8, fetch: @escaping BookCheck.Fetch) {
        self.log = log
        self.parallel = max(1, parallel)
        self.fetch = fetch
    }

    public func run() async throws -> Result {
        var result = Result()
        let acknowledgements = log.acknowledgements
        try await forEachIndex(acknowledgements.count, atMost: parallel, { index in
            let acknowledgement = acknowledgements[index]
            guard !acknowledgement.id.isEmpty else { return Self.findings(acknowledgement, status: 0, body: Data()) }
            let (status, body) = try await fetch(log.ledgerPath + "/transactions/\(acknowledgement.id)")
            return Self.findings(acknowledgement, status: status, body: body)
        }) { findings in
            result.checked += 1
            result.findings += findings
        }
        return result
    }

    /// What is wrong with one acknowledged transfer as the server now answers for it.
    public static func findings(_ acknowledgement: Acknowledgement, status: Int, body: Data) -> [String] {
        guard !acknowledgement.id.isEmpty else {
            return ["a transfer of \(acknowledgement.source) to \(acknowledgement.destination) was answered 2xx without an id"]
        }
        let name = "acknowledged transaction \(acknowledgement.id)"
        guard status == 200 else {
            return [status == 404 ? "\(name) is missing" : "\(name) could not be read: GET answered \(status)"]
        }
        guard let transaction = try? JSONDecoder().decode(TransactionItem.self, from: body) else {
            return ["\(name) could not be decoded"]
        }
        var findings: [String] = []
        let value = BookCheck.minor(acknowledgement.value)
        if transaction.status.code != "APPROVED" { findings.append("\(name) is \(transaction.status.code), not APPROVED") }
        if BookCheck.minor(transaction.amount) != value {
            findings.append("\(name) is for \(transaction.amount), not \(acknowledgement.value)")
        }
        let expected = [
            OperationItem(type: "DEBIT", accountAlias: acknowledgement.source, amount: .init(value: acknowledgement.value)),
            OperationItem(type: "CREDIT", accountAlias: acknowledgement.destination, amount: .init(value: acknowledgement.value)),
        ]
        let found = transaction.operations.sorted { $0.type > $1.type }
        if found.count != 2 || zip(found, expected).contains(where: { !$0.matches($1) }) {
            let described = found.map { "\($0.type) \($0.accountAlias) \($0.amount.value)" }.joined(separator: ", ")
            findings.append("\(name) has operations [\(described)], not a debit of \(acknowledgement.source) and a credit of \(acknowledgement.destination) for \(acknowledgement.value)")
        }
        return findings
    }

    struct TransactionItem: Decodable {
        struct Status: Decodable {
            let code: String
        }

        let status: Status
        let amount: String
        let operations: [OperationItem]
    }

    struct OperationItem: Decodable {
        struct Amount: Decodable {
            let value: String
        }

        let type: String
        let accountAlias: String
        let amount: Amount

        func matches(_ other: OperationItem) -> Bool {
            type == other.type && accountAlias == other.accountAlias && BookCheck.minor(amount.value) == BookCheck.minor(other.amount.value)
        }
    }
}
