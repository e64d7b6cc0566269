import Foundation
import StrongroomBench
import Testing

/// The books of one ledger checked through its HTTP API by the load generator's checker
/// (`BookCheck`): per asset every balance sums to zero, and every balance is the end of an
/// unbroken chain of its operations.
struct BookAudit {
    typealias Fetch = BookCheck.Fetch

    let base: String
    let fetch: Fetch

    static func minor(_ text: String) -> Int128? { BookCheck.minor(text) }

    /// Answers the number of operations checked; records an issue for every breach.
    @discardableResult
    func verify(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let result = try await BookCheck(ledgerPath: base, fetch: fetch).run()
        for finding in result.findings {
            Issue.record(Comment(rawValue: finding), sourceLocation: sourceLocation)
        }
        return result.operations
    }
}
