import Foundation

/// Checks the books of one ledger through its HTTP API, as an outside auditor would: per
/// asset every balance sums to zero, and every balance is the end of an unbroken chain of its
/// operations (each one starts where the previous one ended, versions advance by one, and
/// each movement changes the balance by exactly its amount).
public struct BookCheck: Sendable {
    /// GETs a path (with query) relative to the server; answers the status and body.
    public typealias Fetch = @Sendable (String) async throws -> (status: Int, body: Data)

    public struct Result: Sendable, Equatable {
        public var balances = 0
        public var operations = 0
        /// Each breach found, in words; empty when the books are right.
        public var findings: [String] = []

        public var balanced: Bool { findings.isEmpty }
    }

    public struct Unreadable: Error, CustomStringConvertible {
        public let description: String
    }

    /// `/v1/organizations/{id}/ledgers/{id}`.
    let ledgerPath: String
    let fetch: Fetch
    /// How many accounts' operations are read at once.
    let parallel: Int

    public init(ledgerPath: String, parallel: Int = 8, fetch: @escaping Fetch) {
        self.ledgerPath = ledgerPath
        self.parallel = max(1, parallel)
        self.fetch = fetch
    }

    public func run() async throws -> Result {
        let balances = try await all(ledgerPath + "/balances", of: BalanceItem.self)
        var result = Result(balances: balances.count)
        var totals: [String: Int128] = [:]
        for balance in balances {
            totals[balance.assetCode, default: 0] += (Self.minor(balance.available) ?? 0) + (Self.minor(balance.onHold) ?? 0)
        }
        for (asset, total) in totals.sorted(by: { $0.key < $1.key }) where total != 0 {
            result.findings.append("the balances of \(asset) sum to \(total) minor units, not zero")
        }
        try await forEachIndex(balances.count, atMost: parallel, { index in try await check(balances[index]) }) { operations, findings in
            result.operations += operations
            result.findings += findings
        }
        return result
    }

    /// One balance against its chain of operations: the count checked and the breaches.
    private func check(_ balance: BalanceItem) async throws -> (Int, [String]) {
        let alias = balance.alias ?? balance.id
        let operations = try await all(ledgerPath + "/accounts/\(balance.accountId)/operations?sort_order=asc", of: OperationItem.self)
            .filter { $0.balanceId == balance.id }
            .sorted { $0.balanceAfter.version < $1.balanceAfter.version }
        var findings: [String] = []
        var state = (available: Int128(0), onHold: Int128(0), version: 0)
        for operation in operations {
            let amount = Self.minor(operation.amount.value) ?? -1
            let before = operation.balance
            let after = operation.balanceAfter
            let next = (available: Self.minor(after.available) ?? 0, onHold: Self.minor(after.onHold) ?? 0, version: after.version)
            if Self.minor(before.available) != state.available || Self.minor(before.onHold) != state.onHold || before.version != state.version {
                findings.append("operation \(operation.id) of \(alias) does not start where the previous one ended")
            }
            let moved: Bool = switch operation.type {
            case "CREDIT": next.available == state.available + amount && next.onHold == state.onHold
            case "DEBIT":
                (next.available == state.available - amount && next.onHold == state.onHold)
                    || (next.onHold == state.onHold - amount && next.available == state.available)
            case "ON_HOLD": next.available == state.available - amount && next.onHold == state.onHold + amount
            case "RELEASE": next.available == state.available + amount && next.onHold == state.onHold - amount
            default: false
            }
            if !moved || amount <= 0 { findings.append("operation \(operation.id) of \(alias) does not move its amount") }
            if next.version != state.version + 1 { findings.append("operation \(operation.id) of \(alias) does not advance the version by one") }
            state = next
        }
        if state.available != Self.minor(balance.available) || state.onHold != Self.minor(balance.onHold) || state.version != balance.version {
            findings.append("balance \(alias) is not the sum of its operations")
        }
        return (operations.count, findings)
    }

    /// Every item of a cursor list, following `next_cursor`.
    private func all<Item: Decodable>(_ path: String, of: Item.Type) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let url = path + separator + "limit=100" + (cursor.map { "&cursor=\($0)" } ?? "")
            let (status, body) = try await fetch(url)
            guard status == 200, let page = try? JSONDecoder().decode(Page<Item>.self, from: body) else {
                throw Unreadable(description: "GET \(url) answered \(status): \(String(decoding: body.prefix(300), as: UTF8.self))")
            }
            items += page.items
            cursor = page.next_cursor
        } while cursor != nil
        return items
    }

    /// Minor units of a rendered amount ("-12.30" → -1230), at the scale it is written in.
    public static func minor(_ text: String) -> Int128? {
        Int128(text.replacingOccurrences(of: ".", with: ""))
    }

    // The API's shapes, as much of them as the check reads.

    struct Page<Item: Decodable>: Decodable {
        let items: [Item]
        let next_cursor: String?
    }

    struct Snapshot: Decodable, Sendable {
        let available: String
        let onHold: String
        let version: Int
    }

    struct BalanceItem: Decodable, Sendable {
        let id: String
        let accountId: String
        let alias: String?
        let assetCode: String
        let available: String
        let onHold: String
        let version: Int
    }

    struct OperationItem: Decodable, Sendable {
        struct Amount: Decodable, Sendable {
            let value: String
        }

        let id: String
        let type: String
        let balanceId: String
        let amount: Amount
        let balance: Snapshot
        let balanceAfter: Snapshot
    }
}
