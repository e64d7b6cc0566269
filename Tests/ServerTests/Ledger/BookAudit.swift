import Foundation
import Testing

/// Checks the books of one ledger through its HTTP API, as an outside auditor would:
/// per asset every balance sums to zero, and every balance is the end of an unbroken chain
/// of its operations (each one's `balance` is the previous one's `balanceAfter`, versions
/// advance by one, and each movement changes the balance by exactly its amount).
struct BookAudit {
    typealias Fetch = @Sendable (String) async throws -> (status: Int, body: Data)

    let base: String
    let fetch: Fetch

    /// Minor units of a rendered amount ("-12.30" → -1230), at the scale it is written in.
    static func minor(_ text: Any?) -> Int128? {
        guard let text = text as? String else { return nil }
        return Int128(text.replacingOccurrences(of: ".", with: ""))
    }

    private func object(_ path: String) async throws -> [String: Any] {
        let (status, body) = try await fetch(path)
        try #require(status == 200, "GET \(path) answered \(status): \(String(decoding: body.prefix(300), as: UTF8.self))")
        return try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }

    /// Every item of a cursor list, following `next_cursor`.
    private func all(_ path: String) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var cursor: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let page = try await object(path + separator + "limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""))
            items += page["items"] as? [[String: Any]] ?? []
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        return items
    }

    /// Answers the number of operations checked; records an issue for every breach.
    @discardableResult
    func verify(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let balances = try await all(base + "/balances")
        var totals: [String: Int128] = [:]
        var checked = 0
        for balance in balances {
            let asset = balance["assetCode"] as? String ?? "?"
            let available = try #require(Self.minor(balance["available"]))
            let onHold = try #require(Self.minor(balance["onHold"]))
            totals[asset, default: 0] += available + onHold
            let accountID = try #require(balance["accountId"] as? String)
            let balanceID = try #require(balance["id"] as? String)
            let operations = try await all(base + "/accounts/\(accountID)/operations?sort_order=asc").filter { $0["balanceId"] as? String == balanceID }
                .sorted { (($0["balanceAfter"] as? [String: Any])?["version"] as? Int ?? 0) < (($1["balanceAfter"] as? [String: Any])?["version"] as? Int ?? 0) }
            var state: (available: Int128, onHold: Int128, version: Int) = (0, 0, 0)
            for operation in operations {
                let before = operation["balance"] as? [String: Any] ?? [:]
                let after = operation["balanceAfter"] as? [String: Any] ?? [:]
                let amount = Self.minor((operation["amount"] as? [String: Any])?["value"]) ?? -1
                let next = (available: Self.minor(after["available"]) ?? 0, onHold: Self.minor(after["onHold"]) ?? 0, version: after["version"] as? Int ?? -1)
                #expect(
                    Self.minor(before["available"]) == state.available && Self.minor(before["onHold"]) == state.onHold
                        && before["version"] as? Int == state.version,
                    "operation \(operation["id"] ?? "?") of \(balance["alias"] ?? "?") does not start where the previous one ended",
                    sourceLocation: sourceLocation
                )
                let moved: Bool = switch operation["type"] as? String {
                case "CREDIT": next.available == state.available + amount && next.onHold == state.onHold
                case "DEBIT":
                    (next.available == state.available - amount && next.onHold == state.onHold)
                        || (next.onHold == state.onHold - amount && next.available == state.available)
                case "ON_HOLD": next.available == state.available - amount && next.onHold == state.onHold + amount
                case "RELEASE": next.available == state.available + amount && next.onHold == state.onHold - amount
                default: false
                }
                #expect(moved && amount > 0, "operation \(operation["id"] ?? "?") does not move its amount", sourceLocation: sourceLocation)
                #expect(next.version == state.version + 1, "versions must advance by one", sourceLocation: sourceLocation)
                state = next
                checked += 1
            }
            #expect(
                state.available == available && state.onHold == onHold && state.version == balance["version"] as? Int,
                "balance \(balance["alias"] ?? "?") is not the sum of its operations", sourceLocation: sourceLocation
            )
        }
        for (asset, total) in totals {
            #expect(total == 0, "the balances of \(asset) sum to \(total), not zero", sourceLocation: sourceLocation)
        }
        return checked
    }
}
