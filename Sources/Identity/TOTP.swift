import Crypto
import Foundation
import StrongroomKernel

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 6 digits,
/// 30-second steps, what every authenticator app speaks.
public struct TOTP: Sendable {
    public static let digits = 6
    public static let stepSeconds: Int64 = 30
    public static let secretBytes = 20
    /// Steps either side of now a code may come from, for clock drift and typing time.
    public static let tolerance: Int64 = 1

    public let secret: [UInt8]

    public init(secret: [UInt8]) { self.secret = secret }

    public static func generateSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<secretBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    public static func step(at secondsSinceEpoch: Int64) -> Int64 { secondsSinceEpoch / stepSeconds }

    /// The code for one step, zero-padded to `digits`.
    public func code(atStep step: Int64, digits: Int = TOTP.digits) -> String {
        let counter = withUnsafeBytes(of: UInt64(bitPattern: step).bigEndian) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The step `code` belongs to, within `tolerance` of now and strictly after
    /// `lastUsedStep` (a code, or any older one, is spent once it has been accepted); nil
    /// when it matches none. Compares in constant time per candidate.
    public func acceptedStep(for code: String, at secondsSinceEpoch: Int64, after lastUsedStep: Int64) -> Int64? {
        guard code.utf8.count == Self.digits, code.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let now = Self.step(at: secondsSinceEpoch)
        var accepted: Int64?
        for step in (now - Self.tolerance)...(now + Self.tolerance) where step > lastUsedStep {
            if ConstantTime.equal(Array(self.code(atStep: step).utf8), Array(code.utf8)), accepted == nil { accepted = step }
        }
        return accepted
    }

    /// The `otpauth://` URI an authenticator app scans (Google's Key URI format).
    public func provisioningURI(issuer: String, account: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: allowed) ?? "strongroom"
        let issuerParameter = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? "strongroom"
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerParameter)"
            + "&algorithm=SHA1&digits=\(Self.digits)&period=\(Self.stepSeconds)"
    }
}
