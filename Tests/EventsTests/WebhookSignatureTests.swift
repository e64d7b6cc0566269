import Crypto
import Events
import Foundation
import PropertyBased
import StrongroomKernel
import Testing

/// The documented scheme, from the receiver's side: what verifies, and every way a delivery is refused.
@Suite("Webhook signature")
struct WebhookSignatureTests {
    static let secret = WebhookSecret("whsec_current_0123456789abcdef")!
    static let retiring = WebhookSecret("whsec_retiring_fedcba9876543210")!
    static let other = WebhookSecret("whsec_someone_else")!
    static let body = Array(#"{"body":{"amount":"10.00"},"id":"019af3c2-7d10-7a3b-8c4d-0123456789ab","type":"balance.changed","version":1}"#.utf8)
    static let signedAt = Timestamp(microsecondsSinceEpoch: 1_765_107_795_654_321)

    static func seconds(_ s: Int64) -> Timestamp { signedAt.adding(seconds: s) }

    @Test("a signed delivery verifies, and the header is t and one v1 per secret")
    func roundTrip() throws {
        let header = WebhookSignature.header(for: Self.body, at: Self.signedAt, secret: Self.secret)
        #expect(header.hasPrefix("t=1765107795,v1="))
        #expect(header.split(separator: ",").count == 2)
        #expect(WebhookSignature.verify(header: header, body: Self.body, secrets: [Self.secret], now: Self.signedAt) == .valid)
        #expect(WebhookSignature.verify(header: header, body: Self.body, secrets: [Self.other, Self.secret], now: Self.signedAt) == .valid)
    }

    @Test("the v1 value is HMAC-SHA256 of t.body under the secret's UTF-8 bytes, as documented")
    func documentedComputation() throws {
        let header = WebhookSignature.header(for: Self.body, at: Self.signedAt, secret: Self.secret)
        let key = SymmetricKey(data: Array("whsec_current_0123456789abcdef".utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("1765107795.".utf8) + Self.body, using: key)
        #expect(header == "t=1765107795,v1=\(Hex.string(mac))")
    }

    @Test("a tampered body, a wrong secret or a changed timestamp is a mismatch")
    func mismatches() throws {
        let header = WebhookSignature.header(for: Self.body, at: Self.signedAt, secret: Self.secret)
        var tampered = Self.body
        tampered[tampered.count - 2] = UInt8(ascii: "2")
        #expect(WebhookSignature.verify(header: header, body: tampered, secrets: [Self.secret], now: Self.signedAt) == .mismatch)
        #expect(WebhookSignature.verify(header: header, body: Self.body + [0x20], secrets: [Self.secret], now: Self.signedAt) == .mismatch)
        #expect(WebhookSignature.verify(header: header, body: Self.body, secrets: [Self.other], now: Self.signedAt) == .mismatch)
        #expect(WebhookSignature.verify(header: header, body: Self.body, secrets: [], now: Self.signedAt) == .mismatch)
        // Moving t to make an old capture look fresh breaks the signature.
        let moved = header.replacingOccurrences(of: "t=1765107795", with: "t=1765107796")
        #expect(WebhookSignature.verify(header: moved, body: Self.body, secrets: [Self.secret], now: Self.signedAt) == .mismatch)
        // A forged header with an old t is a mismatch, not stale: staleness is only said of a genuine one.
        let forged = "t=1765100000,v1=\(String(repeating: "ab", count: 32))"
        #expect(WebhookSignature.verify(header: forged, body: Self.body, secrets: [Self.secret], now: Self.signedAt) == .mismatch)
    }

    @Test("a timestamp more than 300 s before or after now is stale; 300 s either way is not")
    func staleness() throws {
        let header = WebhookSignature.header(for: Self.body, at: Self.signedAt, secret: Self.secret)
        // signedAt is 1765107795.654321; t is 1765107795.
        for (offset, expected) in [(300, WebhookVerification.valid), (301, .stale), (-300, .valid), (-301, .stale), (86_400, .stale), (-86_400, .stale)] {
            let now = Timestamp(microsecondsSinceEpoch: (1_765_107_795 + Int64(offset)) * 1_000_000)
            #expect(WebhookSignature.verify(header: header, body: Self.body, secrets: [Self.secret], now: now) == expected, "\(offset) s")
        }
        // A timestamp near the end of Int64 seconds neither traps nor passes.
        let far = Timestamp(microsecondsSinceEpoch: Int64.min)
        #expect(WebhookSignature.verify(header: header, body: Self.body, secrets: [Self.secret], now: far) == .stale)
    }

    @Test("headers that do not follow the scheme are malformed")
    func malformed() throws {
        let header = WebhookSignature.header(for: Self.body, at: Self.signedAt, secret: Self.secret)
        let v1 = String(header.split(separator: ",")[1])
        let hex = String(v1.dropFirst(3))
        let cases = [
            "", "t=1765107795", v1, "t=,\(v1)", "t=abc,\(v1)", "t=-5,\(v1)", "t=+5,\(v1)", "t=1765107795,t=1765107795,\(v1)",
            "t=99999999999999999999,\(v1)", "t=1765107795,v1=", "t=1765107795,v1=\(hex.uppercased())",
            "t=1765107795,v1=\(hex.dropLast())", "t=1765107795,v1=\(hex)0", "t=1765107795, \(v1)", "t=1765107795,,\(v1)",
            "t=1765107795;\(v1)", "t 1765107795,\(v1)", "t=1765107795,\(v1),",
            "t=1765107795," + Array(repeating: v1, count: WebhookSignature.maxSignatures + 1).joined(separator: ","),
            "t=1765107795,\(v1),x=" + String(repeating: "y", count: WebhookSignature.maxHeaderBytes),
        ]
        for candidate in cases {
            #expect(WebhookSignature.verify(header: candidate, body: Self.body, secrets: [Self.secret], now: Self.signedAt) == .malformed, "\(candidate.prefix(120))")
        }
        // An element of a scheme the receiver does not know is skipped, and the order is free.
        #expect(WebhookSignature.verify(header: "\(v1),v2=whatever,t=1765107795", body: Self.body, secrets: [Self.secret], now: Self.signedAt) == .valid)
        let most = "t=1765107795," + Array(repeating: v1, count: WebhookSignature.maxSignatures).joined(separator: ",")
        #expect(WebhookSignature.verify(header: most, body: Self.body, secrets: [Self.secret], now: Self.signedAt) == .valid)
    }

    @Test("during a rotation's overlap the delivery carries both signatures and either secret verifies it")
    func rotationOverlap() throws {
        let header = WebhookSignature.header(for: Self.body, at: Self.signedAt, secret: Self.secret, retiringSecret: Self.retiring)
        #expect(header.split(separator: ",").count == 3)
        #expect(WebhookSignature.verify(header: header, body: Self.body, secrets: [Self.secret], now: Self.signedAt) == .valid)
        #expect(WebhookSignature.verify(header: header, body: Self.body, secrets: [Self.retiring], now: Self.signedAt) == .valid)
        #expect(WebhookSignature.verify(header: header, body: Self.body, secrets: [Self.other], now: Self.signedAt) == .mismatch)
        // After the overlap only the new secret signs, and a receiver still on the old one sees a mismatch.
        let after = WebhookSignature.header(for: Self.body, at: Self.signedAt, secret: Self.secret)
        #expect(WebhookSignature.verify(header: after, body: Self.body, secrets: [Self.retiring], now: Self.signedAt) == .mismatch)
    }

    @Test("for any body, secret and time, the signature verifies, and changing any one byte of the body is a mismatch")
    func anyBodyAnySecret() async {
        let bodies = Gen.uint8().array(of: 0...600)
        let secrets = Gen.uint8(in: 0x21...0x7E).array(of: 1...WebhookSecret.maxBytes)
        await propertyCheck(count: 500, input: bodies, secrets, Gen.int64(in: 0...(Int64.max / 2)), Gen.int(), Gen.uint8(in: 1...255)) {
            body, secretBytes, microseconds, position, flip in
            guard let secret = WebhookSecret(String(decoding: secretBytes, as: UTF8.self)) else {
                Issue.record("a printable secret was refused")
                return
            }
            let time = Timestamp(microsecondsSinceEpoch: microseconds)
            let header = WebhookSignature.header(for: body, at: time, secret: secret)
            #expect(WebhookSignature.verify(header: header, body: body, secrets: [secret], now: time) == .valid)
            guard !body.isEmpty else { return }
            var changed = body
            let index = position.magnitude % UInt(body.count)
            changed[Int(clamping: index)] ^= flip
            #expect(WebhookSignature.verify(header: header, body: changed, secrets: [secret], now: time) == .mismatch)
        }
    }

    @Test("an empty or oversized secret is refused, and a secret never prints")
    func secrets() {
        #expect(WebhookSecret("") == nil)
        #expect(WebhookSecret(String(repeating: "s", count: WebhookSecret.maxBytes + 1)) == nil)
        #expect(WebhookSecret(String(repeating: "s", count: WebhookSecret.maxBytes)) != nil)
        #expect("\(Self.secret)" == "<redacted>")
        #expect(String(reflecting: Self.secret) == "<redacted>")
    }
}
