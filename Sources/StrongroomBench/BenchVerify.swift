import Foundation
import NIOHTTP1

extension Bench {
    /// What `bench verify` found across the acknowledgement files it was given.
    public struct Verification: Sendable {
        public var ledgers = 0
        public var acknowledged = 0
        public var balances = 0
        public var operations = 0
        /// Each breach, in words; empty when everything acknowledged survived and the books balance.
        public var findings: [String] = []

        public var passed: Bool { findings.isEmpty }

        public var text: String {
            var lines = [
                "verified \(acknowledged) acknowledged transfers in \(ledgers) ledgers; books: \(balances) balances, \(operations) operations"
            ]
            lines += findings.prefix(50).map { "  - \($0)" }
            if findings.count > 50 { lines.append("  … and \(findings.count - 50) more") }
            lines.append(passed ? "PASSED" : "FAILED: \(findings.count) findings")
            return lines.joined(separator: "\n")
        }
    }

    /// After a crash or a database fault: every transfer in each acknowledgement file exists,
    /// whole, and each file's ledger balances (`BookCheck`).
    public static func verify(
        url: String, credentials: Credentials, files: [String], log: @escaping @Sendable (String) -> Void
    ) async throws -> Verification {
        let client = BenchClient(base: url, connections: 16, credentials: credentials)
        do {
            let result = try await verify(files: files, client: client, log: log)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private static func verify(files: [String], client: BenchClient, log: @escaping @Sendable (String) -> Void) async throws -> Verification {
        let fetch: BookCheck.Fetch = { path in
            let answer = try await client.send(.GET, path)
            return (answer.status, answer.body)
        }
        var verification = Verification()
        for file in files {
            let acknowledgements = try AcknowledgementLog.read(from: file)
            log("\(file): \(acknowledgements.acknowledgements.count) acknowledged transfers in \(acknowledgements.ledgerPath)")
            let survived = try await AcknowledgedCheck(log: acknowledgements, parallel: 16, fetch: fetch).run()
            let books = try await BookCheck(ledgerPath: acknowledgements.ledgerPath, parallel: 16, fetch: fetch).run()
            verification.ledgers += 1
            verification.acknowledged += survived.checked
            verification.balances += books.balances
            verification.operations += books.operations
            verification.findings += survived.findings + books.findings
        }
        return verification
    }
}
