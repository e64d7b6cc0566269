import HummingbirdTesting
import NIOCore
import StrongroomTestSupport
import Testing

@testable import StrongroomBench

/// The bench's login flood against a real server over loopback: every login it was due to
/// send is sent, answered and counted, and the server saw exactly as many.
@Suite("Login flood sender")
struct FloodSenderTests {
    static let clientErrors = #"strongroom_http_responses_total{status_class="4xx"}"#

    @Test func everyDueLoginIsSentAnsweredAndCountedByTheServer() async throws {
        try await TestServer.with(.sqlite, testing: .live) { client, _, _ in
            let port = try #require(client.port)
            // Before the flood: one login in ten is the admin's with a wrong password, which
            // soon locks the account.
            let admin = try await client.login("admin", TestServer.adminPassword).token
            let before = try #require(try await MetricsTests.scrape(client, token: admin).series[Self.clientErrors])

            let target = try #require(FloodSender.Target(url: "http://127.0.0.1:\(port)"))
            let flood = await FloodSender(target: target, username: "admin", seed: 7).run(rate: 200, duration: .seconds(1), connections: 3)

            // 200 logins were due in the second; each is sent however late the answers come.
            #expect(flood.sent == 200)
            #expect(flood.answers.keys.allSatisfy { $0 == "401" || $0 == "429" }, "\(flood.answers)")
            #expect(flood.answers.values.reduce(0, +) == 200)
            let after = try #require(try await MetricsTests.scrape(client, token: admin).series[Self.clientErrors])
            #expect(after - before == 200)
        }
    }
}
