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

    @Test func theHostHeaderNamesAPortOnlyWhenItIsNotTheSchemes() {
        #expect(FloodSender.Target(url: "http://ledger.example:80")?.hostHeader == "ledger.example")
        #expect(FloodSender.Target(url: "https://ledger.example:8443")?.hostHeader == "ledger.example:8443")
        #expect(FloodSender.Target(url: "http://127.0.0.1:18081")?.hostHeader == "127.0.0.1:18081")
    }

    @Test func tlsNamesAHostButNotAnAddress() {
        #expect(FloodSender.Target(url: "https://ledger.example")?.serverName == "ledger.example")
        #expect(FloodSender.Target(url: "https://127.0.0.1:8443")?.serverName == nil)
        #expect(FloodSender.Target(url: "https://[::1]:8443")?.serverName == nil)
    }

    @Test func anythingButHTTPWithAHostIsRefused() {
        for url in ["ftp://ledger.example", "127.0.0.1:8080", "http://", "not a url", ""] {
            #expect(FloodSender.Target(url: url) == nil, "\(url)")
        }
    }
}
