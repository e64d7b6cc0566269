import HummingbirdTesting
import NIOCore
import NIOHTTP1
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
            let url = "http://127.0.0.1:\(try #require(client.port))"
            // The scrapes go through the bench's own client, which reconnects: on a loaded
            // machine the flood can outlast the server's header timeout, which closes a
            // connection left idle meanwhile. Its first scrape logs in before the flood, which
            // soon locks the admin account (one login in ten is the admin's, wrongly).
            let scraper = BenchClient(base: url, connections: 1, credentials: .user(username: "admin", password: TestServer.adminPassword))
            func clientErrors() async throws -> Int {
                let answer = try await scraper.send(.GET, "/metrics")
                #expect(answer.status == 200)
                return try #require(MetricsTests.series(String(decoding: answer.body, as: UTF8.self))[Self.clientErrors])
            }
            do {
                let before = try await clientErrors()
                let target = try #require(FloodSender.Target(url: url))
                let flood = await FloodSender(target: target, username: "admin", seed: 7).run(rate: 200, duration: .seconds(1), connections: 3)

                // 200 logins were due in the second; each is sent however late the answers come.
                #expect(flood.sent == 200)
                #expect(flood.answers.keys.allSatisfy { $0 == "401" || $0 == "429" }, "\(flood.answers)")
                #expect(flood.answers.values.reduce(0, +) == 200)
                #expect(try await clientErrors() - before == 200)
                await scraper.shutdown()
            } catch {
                await scraper.shutdown()
                throw error
            }
        }
    }
}
