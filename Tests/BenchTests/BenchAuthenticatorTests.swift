import Foundation
import Testing

@testable import StrongroomBench

/// The bench's one-time codes are RFC 6238's: its appendix B vectors (SHA-1, the 20-byte
/// ASCII secret "12345678901234567890"), cut to the 6 digits the server asks for.
@Suite("Bench authenticator")
struct BenchAuthenticatorTests {
    @Test func theCodesAreRFC6238s() throws {
        let authenticator = try #require(BenchAuthenticator(base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
        #expect(authenticator.secret == Array("12345678901234567890".utf8))
        for (seconds, code) in [(59.0, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")] {
            #expect(authenticator.code(at: Date(timeIntervalSince1970: seconds)) == code, "at \(seconds)")
        }
    }

    @Test func aSecretThatIsNotBase32IsRefused() {
        #expect(BenchAuthenticator(base32: "not base32!") == nil)
        #expect(BenchAuthenticator(base32: "") == nil)
        #expect(BenchAuthenticator(base32: "gezdgnbv") != nil)  // any case, no padding
    }
}
