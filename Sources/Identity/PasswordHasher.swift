import Crypto
import Foundation
import HummingbirdBcrypt
import StrongroomKernel

/// Slow, salted password hashing: bcrypt over a keyed pre-hash.
///
/// bcrypt reads at most 72 bytes and stops at a NUL byte. Passwords here may be 128
/// characters of any script (up to 512 bytes), so every password is first reduced to a
/// 44-character base64 HMAC-SHA256: nothing is silently truncated and no byte sequence
/// can cut it short. The HMAC key is a fixed domain string, not a secret: it separates
/// these pre-hashes from any plain SHA-256 of the same password found elsewhere.
///
/// Hashing is CPU-bound (cost 12 is about a quarter of a second); callers run it on a
/// `BlockingExecutor`, never on the cooperative pool.
public struct PasswordHasher: Sendable {
    public static let productionMinimumCost = 12
    public static let allowedCosts = 4...16
    private static let scheme = "$sr1$"

    public let cost: Int

    public init(cost: Int) {
        precondition(Self.allowedCosts.contains(cost), "bcrypt cost must be in \(Self.allowedCosts)")
        self.cost = cost
    }

    public func hash(_ password: String) -> PasswordHash {
        PasswordHash(encoded: Self.scheme + Bcrypt.hash(Self.prehash(password), cost: UInt8(cost)))
    }

    public func verify(_ password: String, against hash: PasswordHash) -> Bool {
        guard hash.encoded.hasPrefix(Self.scheme) else { return false }
        return Bcrypt.verify(Self.prehash(password), hash: String(hash.encoded.dropFirst(Self.scheme.count)))
    }

    static func prehash(_ password: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array(password.utf8),
            using: SymmetricKey(data: Array("strongroom.password.v1".utf8))
        )
        return Data(mac).base64EncodedString()
    }
}
