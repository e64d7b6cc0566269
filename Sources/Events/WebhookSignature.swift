import Crypto
import StrongroomKernel

/// How a webhook delivery is signed, and how its receiver checks it.
///
/// Every delivery is an HTTP `POST` whose body is the event's JSON (`EventEnvelope.json`),
/// with this header:
///
///     Strongroom-Signature: t=1765107795,v1=<64 hex digits>[,v1=<64 hex digits>]
///
/// - `t` is when this attempt was signed (not when the event happened; every retry is signed
///   afresh), in whole seconds since 1970-01-01T00:00:00Z, as ASCII decimal digits.
/// - Each `v1` is HMAC-SHA256 in lower-case hex. Its key is the subscription's secret: the
///   secret's text exactly as it was shown at creation, taken as UTF-8 bytes, decoded in no
///   way. Its message is the bytes of `t`'s value as it appears in the header, one `.`
///   (0x2E), then the request body exactly as received, before any JSON parsing.
/// - One `v1` per active secret. While a secret is being rotated, each delivery carries one
///   `v1` under the new secret and one under the old, in no promised order, so a receiver
///   holding either one verifies, and it can switch secrets at any moment of the overlap.
/// - Elements are separated by `,` with no spaces. A receiver ignores elements whose name it
///   does not know (a future `v2`), so the scheme can add one without breaking it.
///
/// To verify (what `verify` does): parse the header, refusing it unless it has exactly one
/// `t` and at least one `v1`; for each secret you hold compute the HMAC of `t.body` and
/// compare it with every `v1` in constant time (never with `==` on strings, which stops at
/// the first difference and so tells an attacker how much of a guess was right); accept only
/// if one matches and `t` is no more than 300 seconds before or after your clock. The window
/// refuses a captured delivery replayed later; within it, de-duplicate by the event's `id`,
/// which a redelivery also keeps (delivery is at least once).
public enum WebhookSignature {
    /// The header's name.
    public static let headerName = "Strongroom-Signature"
    /// How far `t` may be from the receiver's clock, either way, in seconds (five minutes).
    public static let toleranceSeconds: Int64 = 300
    /// The longest header `verify` reads, in bytes; anything longer is malformed.
    public static let maxHeaderBytes = 2_048
    /// The most `v1` elements `verify` reads (two are sent during a rotation).
    public static let maxSignatures = 8

    /// The header value for `body`, signed at `time` under `secret` and, during a rotation's
    /// overlap, under `retiringSecret` too.
    public static func header(for body: [UInt8], at time: Timestamp, secret: WebhookSecret, retiringSecret: WebhookSecret? = nil) -> String {
        // A time before 1970 would need a sign the scheme does not have; the signer's clock
        // is never there, and 0 only makes the delivery stale.
        let t = String(max(0, time.secondsSinceEpoch))
        var value = "t=\(t),v1=\(Hex.string(mac(t: t, body: body, key: secret)))"
        if let retiringSecret {
            value += ",v1=\(Hex.string(mac(t: t, body: body, key: retiringSecret)))"
        }
        return value
    }

    /// Checks a delivery's header against the receiver's secrets at `now`. The signature is
    /// checked before the time, so a forged header with an old `t` answers `mismatch`, and
    /// only a genuine one answers `stale`.
    public static func verify(header: String, body: [UInt8], secrets: [WebhookSecret], now: Timestamp) -> WebhookVerification {
        guard let parsed = Parsed(header) else { return .malformed }
        var matched = false
        for secret in secrets {
            let expected = mac(t: parsed.t, body: body, key: secret)
            for signature in parsed.signatures where ConstantTime.equal(expected, signature) {
                matched = true
            }
        }
        guard matched else { return .mismatch }
        let (difference, overflow) = now.secondsSinceEpoch.subtractingReportingOverflow(parsed.seconds)
        guard !overflow, difference.magnitude <= toleranceSeconds.magnitude else { return .stale }
        return .valid
    }

    private static func mac(t: String, body: [UInt8], key: WebhookSecret) -> [UInt8] {
        var message = Array(t.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key.key)))
    }

    /// A header that follows the scheme: its one `t` (as written, and as a number) and its
    /// `v1` signatures as bytes.
    private struct Parsed {
        var t: String
        var seconds: Int64
        var signatures: [[UInt8]]

        init?(_ header: String) {
            guard header.utf8.count <= WebhookSignature.maxHeaderBytes else { return nil }
            var t: String?
            var signatures: [[UInt8]] = []
            for element in header.split(separator: ",", omittingEmptySubsequences: false) {
                guard let equals = element.firstIndex(of: "=") else { return nil }
                let name = element[..<equals]
                let value = String(element[element.index(after: equals)...])
                switch name {
                case "t":
                    guard t == nil, !value.isEmpty, value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
                    else { return nil }
                    t = value
                case "v1":
                    guard signatures.count < WebhookSignature.maxSignatures, value.utf8.count == 64, let bytes = Hex.bytes(value)
                    else { return nil }
                    signatures.append(bytes)
                default:
                    // Another scheme's element: skipped, so the header can grow.
                    continue
                }
            }
            // Digits that do not fit in 64 bits are no time this scheme can have written.
            guard let t, let seconds = Int64(t), !signatures.isEmpty else { return nil }
            self.t = t
            self.seconds = seconds
            self.signatures = signatures
        }
    }
}
