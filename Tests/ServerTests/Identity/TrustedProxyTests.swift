import Foundation
import HTTPTypes
import HummingbirdTesting
@testable import StrongroomEdge
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Behind a trusted proxy each client is counted under its own address, and nobody can pick
/// the address they are counted under.
@Suite("Trusted proxies")
struct TrustedProxyTests {
    static let proxies = try! TrustedProxies(parsing: "10.0.0.0/8, 192.0.2.7, 2001:db8::/32")

    @Test func addressesAndNetworksAreReadAndMistakesRefused() throws {
        #expect(Self.proxies.networks.count == 3)
        #expect(try TrustedProxies(parsing: " , ").isEmpty)
        for bad in ["10.0.0.1/8", "10.0.0.0/33", "2001:db8::/129", "proxy.example", "10.0.0.0/", "10.0.0.0/x", "[::1]", "10.0.0.1:80"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { _ = try TrustedProxies(parsing: bad) }
        }
        #expect(Self.proxies.contains(try #require(IPAddress("10.200.3.4"))))
        #expect(Self.proxies.contains(try #require(IPAddress("::ffff:10.1.2.3"))), "an IPv4-mapped peer is its IPv4 address")
        #expect(Self.proxies.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!Self.proxies.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(!Self.proxies.contains(try #require(IPAddress("192.0.2.8"))))
        #expect(!Self.proxies.contains(try #require(IPAddress("2001:db9::1"))))
    }

    @Test func theClientIsTheFirstAddressFromTheRightThatNoTrustedProxyOwns() {
        let cases: [(peer: String?, header: [String], client: String?)] = [
            // A peer that is no trusted proxy is the client, whatever it claims.
            ("198.51.100.9", ["203.0.113.5"], "198.51.100.9"),
            (nil, ["203.0.113.5"], nil),
            // One proxy: the address it appended.
            ("10.0.0.2", ["203.0.113.5"], "203.0.113.5"),
            // A client that forges the header only adds to its left.
            ("10.0.0.2", ["1.1.1.1, 203.0.113.5"], "203.0.113.5"),
            ("10.0.0.2", ["1.1.1.1", "203.0.113.5"], "203.0.113.5"),
            // Two trusted hops are skipped.
            ("10.0.0.2", ["203.0.113.5, 192.0.2.7, 10.9.9.9"], "203.0.113.5"),
            // Garbage stops the walk at the last address that was one.
            ("10.0.0.2", ["203.0.113.5, not-an-address"], "10.0.0.2"),
            ("10.0.0.2", ["203.0.113.5, ' or 1=1 --, 10.3.3.3"], "10.3.3.3"),
            // No header, or only proxies: the nearest proxy.
            ("10.0.0.2", [], "10.0.0.2"),
            ("10.0.0.2", ["10.1.1.1"], "10.1.1.1"),
            // Canonical spelling, so one client has one throttle counter.
            ("10.0.0.2", ["2001:DB9:0:0::1"], "2001:db9::1"),
            ("10.0.0.2", ["::ffff:203.0.113.5"], "203.0.113.5"),
        ]
        for (peer, header, client) in cases {
            #expect(Self.proxies.clientAddress(peer: peer, forwardedFor: header) == client, "\(peer ?? "nil") \(header)")
        }
    }

    /// Over a real socket from 127.0.0.1, configured as the proxy: one client's failures lock
    /// that client, not the others behind the same proxy. Without the setting, they would
    /// all share 127.0.0.1 and the 22nd login below would be throttled too.
    @Test func theThrottleCountsEachClientBehindATrustedProxy() async throws {
        // Time stands still, so the first lock (1 s) cannot run out between two slow requests.
        try await TestServer.with(.sqlite, testing: .live, clock: SteppingClock(start: SystemClock().now()), configure: { config, _ in
            config.trustedProxies = try TrustedProxies(parsing: "127.0.0.0/8, ::1")
        }) { client, _, _ in
            func login(_ username: String, from address: String) async throws -> TestResponse {
                try await client.json(
                    .post, "/v1/auth/login", body: #"{"username":"\#(username)","password":"wrong but long enough"}"#,
                    headers: [.xForwardedFor: "198.51.100.1, \(address)"]
                )
            }
            for i in 0..<20 { try await login("ghost\(i)", from: "203.0.113.5").expectProblem(.unauthorized, code: "SR-1002") }
            try await login("ghost20", from: "203.0.113.5").expectProblem(.tooManyRequests, code: "SR-1015")
            try await login("ghost21", from: "203.0.113.6").expectProblem(.unauthorized, code: "SR-1002")
            // The lock stays on the client it belongs to.
            try await login("ghost22", from: "203.0.113.5").expectProblem(.tooManyRequests, code: "SR-1015")
        }
    }
}
