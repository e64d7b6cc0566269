import Foundation
import HTTPTypes
import HummingbirdTesting
import Subprocess
import Testing

/// Amounts near the limits of a scale-18 asset, sent to the real `strongroom serve` binary:
/// 10^20 major units are 10^38 minor units there, a hair under Int128's 1.7 × 10^38. An inflow
/// of 999999999999999999999.123456789012345678 once trapped the process (arithmetic
/// overflow while parsing it) and dropped every user's requests; shares and overdraft limits
/// reached the same trap. A trap kills the process, not a request, so only a process test
/// sees it: each test here sends its amounts, then checks the same server still answers,
/// still posts, and exits cleanly when stopped.
@Suite("Scale-18 amounts against the strongroom process", .serialized, .timeLimit(.minutes(3)))
struct ScaleProcessTests {
    typealias Connection = LedgerProcessTests.Connection

    /// 10^20 major units at scale 18, the largest amount there is.
    static let maximum = "100000000000000000000.000000000000000000"

    @Test func anAmountPastTheLimitIsRefusedAndTheServerKeepsServing() async throws {
        try await withScale18Books { connection, base in
            let refused = try await connection.send(
                .post, "\(base)/transactions/inflow",
                #"{"send":{"asset":"ETH","value":"999999999999999999999.123456789012345678","distribute":{"to":[{"accountAlias":"@alice","remaining":"remaining"}]}}}"#
            )
            #expect(refused.status == 422, "\(String(decoding: refused.body, as: UTF8.self))")
            #expect(try Self.code(refused.body) == "SR-2014")
        }
    }

    /// 99 % of 99 % of a value near 10^20: the product value × 99 × 99 is past Int128 at this
    /// scale, yet the share is exact, rounded down, and the remaining leg takes the rest.
    @Test func aShareOfAShareOfAValueNearTheLimitPostsExactly() async throws {
        try await withScale18Books { connection, base in
            let posted = try await connection.send(.post, "\(base)/transactions/inflow", """
                {"send":{"asset":"ETH","value":"99999999999999999998.123456789012345678","distribute":{"to":[
                  {"accountAlias":"@alice","share":{"percentage":99,"percentageOfPercentage":99}},
                  {"accountAlias":"@bob","remaining":"remaining"}]}}}
                """)
            #expect(posted.status == 201, "\(String(decoding: posted.body, as: UTF8.self))")
            // ⌊99999999999999999998123456789012345678 × 9801 / 10^4⌋ minor units, and the rest
            // (computed with unbounded integers; the two add up to the value). The value leaves
            // the external account room for the inflow that follows the test.
            #expect(try await Self.available("@alice", connection, base) == "98009999999999999998.160799998910999999")
            #expect(try await Self.available("@bob", connection, base) == "1989999999999999999.962656790101345679")
        }
    }

    /// An overdraft limit of the maximum is legal; past it is refused; an overdraft used to
    /// the full and then pushed further would take the balance to -2 × 10^20 (-2 × 10^38
    /// minor units, past Int128's minimum): refused, never a trap.
    @Test func aHugeOverdraftLimitNeverTakesTheServerDown() async throws {
        try await withScale18Books { connection, base in
            let balances = try await connection.send(.get, "\(base)/accounts/alias/@alice/balances")
            let items = (try JSONSerialization.jsonObject(with: balances.body) as? [String: Any])?["items"] as? [[String: Any]]
            let balance = try #require(items?.first?["id"] as? String)
            let path = "\(base)/balances/\(balance)"

            for limit in [
                "100000000000000000000.000000000000000001", "170141183460469231731.687303715884105728",
                "999999999999999999999.123456789012345678", "170141183460469231731687303715884105728",
            ] {
                let answer = try await connection.send(.patch, path, #"{"allowOverdraft":true,"overdraftLimit":"\#(limit)"}"#)
                #expect(answer.status == 422, "\(limit): \(String(decoding: answer.body, as: UTF8.self))")
            }
            let maximum = try await connection.send(.patch, path, #"{"allowOverdraft":true,"overdraftLimit":"\#(Self.maximum)"}"#)
            #expect((200..<300).contains(maximum.status) || maximum.status == 422, "\(String(decoding: maximum.body, as: UTF8.self))")
            if (200..<300).contains(maximum.status) {
                let used = try await connection.send(.post, "\(base)/transactions/json", LedgerFixture.transfer("@alice", "@bob", Self.maximum, asset: "ETH"))
                #expect(used.status == 201, "\(String(decoding: used.body, as: UTF8.self))")
                #expect(try await Self.available("@alice", connection, base) == "-" + Self.maximum)
            }
            let past = try await connection.send(.post, "\(base)/transactions/json", LedgerFixture.transfer("@alice", "@bob", Self.maximum, asset: "ETH"))
            #expect(past.status == 422, "\(String(decoding: past.body, as: UTF8.self))")
        }
    }

    /// Starts a server, makes an organization, a ledger, the asset `ETH` at scale 18 and the
    /// accounts `@alice`, `@bob` and `@carol`, runs `body` with the ledger's path; then the
    /// server must still answer /health, still post an inflow to the untouched `@carol` whose
    /// last digit is the scale's smallest unit, and exit 0 when stopped, having logged no trap.
    private func withScale18Books(_ body: (Connection, String) async throws -> Void) async throws {
        let directory = try ServerProcessTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let served = try await ServerProcessTests.withServer(
            arguments: ["--data-dir", directory + "/data", "--log-level", "warning"],
            environment: ["STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD": LedgerProcessTests.password], directory: directory
        ) { server -> String? in
            let token = try await Connection.adminToken(port: server.port)
            let connection = try await Connection.open(port: server.port, token: token)
            let organization = try await connection.created("/v1/organizations", #"{"legalName":"Acme","legalDocument":"1"}"#)
            let ledger = try await connection.created("/v1/organizations/\(organization)/ledgers", #"{"name":"Main"}"#)
            let base = "/v1/organizations/\(organization)/ledgers/\(ledger)"
            let asset = try await connection.send(.post, "\(base)/assets", #"{"name":"Ether","type":"crypto","code":"ETH","scale":18}"#)
            #expect(asset.status == 201)
            #expect((try JSONSerialization.jsonObject(with: asset.body) as? [String: Any])?["scale"] as? Int == 18)
            for alias in ["@alice", "@bob", "@carol"] {
                _ = try await connection.created("\(base)/accounts", #"{"assetCode":"ETH","type":"deposit","alias":"\#(alias)"}"#)
            }

            // A request that fails (the connection closed by a dying server) is reported
            // below with the server's exit and log, which say why it died.
            do {
                try await body(connection, base)
            } catch {
                try? await connection.client.shutdown()
                return "the requests failed: \(error)"
            }
            let after = try await Connection.open(port: server.port, token: token)
            #expect(try await after.send(.get, "/health").status == 200)
            let inflow = try await after.send(.post, "\(base)/transactions/inflow", LedgerFixture.inflow("@carol", "1.000000000000000001", asset: "ETH"))
            #expect(inflow.status == 201, "\(String(decoding: inflow.body, as: UTF8.self))")
            #expect(try await Self.available("@carol", after, base) == "1.000000000000000001")
            try? await connection.client.shutdown()
            try? await after.client.shutdown()
            return nil
        }
        let log = String(served.logs.prefix(2000))
        #expect(served.value == nil, "\(served.value ?? "")")
        #expect(served.status == .exited(0), "\(log)")
        #expect(!served.logs.contains("arithmetic overflow"), "\(log)")
    }

    /// The `available` of the account's balance, as the API renders it.
    private static func available(_ alias: String, _ connection: Connection, _ base: String) async throws -> String {
        let answer = try await connection.send(.get, "\(base)/accounts/alias/\(alias)/balances")
        let items = (try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])?["items"] as? [[String: Any]]
        return try #require(items?.first?["available"] as? String, "\(String(decoding: answer.body, as: UTF8.self))")
    }

    /// A problem body's `code`.
    private static func code(_ body: Data) throws -> String? {
        (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["code"] as? String
    }
}
