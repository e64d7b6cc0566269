import Crypto
import Foundation
import StrongroomKernel

/// The bench user's authenticator, when the run needs a step-up (`--frozen-accounts`: the
/// incident controls are sensitive): the TOTP secret the user enrolled, Base32 as the
/// enrolment answered it, from which the bench computes the code its login sends. A login
/// with a code is stepped up for its first minutes, which the set-up's freezes fall inside.
public struct BenchAuthenticator: Sendable {
    let secret: [UInt8]

    /// Nil when `encoded` is not Base32 (RFC 4648, padding optional, any case).
    public init?(base32 encoded: String) {
        guard let bytes = Base32.decode(String(encoded.prefix { $0 != "=" })), !bytes.isEmpty,
            encoded.drop(while: { $0 != "=" }).allSatisfy({ $0 == "=" })
        else { return nil }
        secret = bytes
    }

    /// RFC 6238's 6-digit code for the 30-second step holding `date`.
    func code(at date: Date = Date()) -> String {
        let step = UInt64(exactly: (max(0, date.timeIntervalSince1970) / 30).rounded(.down)) ?? 0
        let counter = withUnsafeBytes(of: step.bigEndian) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: SymmetricKey(data: secret)))
        let offset = Int(truncatingIfNeeded: mac[mac.count - 1] & 0x0F)
        let value = mac[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32(truncatingIfNeeded: $1) } & 0x7FFF_FFFF
        let digits = String(value % 1_000_000)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }
}
