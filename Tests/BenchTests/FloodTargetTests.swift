import Testing

@testable import StrongroomBench

/// Where the login flood connects, read from the bench's `--url`.
@Suite("Flood target")
struct FloodTargetTests {
    @Test func aPortGivenIsKeptAndTheSchemeSetsTheDefault() {
        #expect(FloodSender.Target(url: "http://127.0.0.1:18081") == FloodSender.Target(host: "127.0.0.1", port: 18081, tls: false))
        #expect(FloodSender.Target(url: "http://ledger.example/") == FloodSender.Target(host: "ledger.example", port: 80, tls: false))
        #expect(FloodSender.Target(url: "HTTPS://ledger.example") == FloodSender.Target(host: "ledger.example", port: 443, tls: true))
    }

    @Test func anythingButHTTPWithAHostIsRefused() {
        for url in ["ftp://ledger.example", "127.0.0.1:8080", "http://", "not a url", ""] {
            #expect(FloodSender.Target(url: url) == nil, "\(url)")
        }
    }
}
