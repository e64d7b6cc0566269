import StrongroomKernel

/// The brute-force brake on password login (API.md, Authentication), as pure decisions; the
/// counters live in the database so every process shares them.
///
/// Failures are counted per account (a keyed pseudonym of the name tried, existing or not)
/// and per source address, in windows of 15 minutes. The first `limit` failures of a window
/// are answered at once; from then on each failure locks the key for a delay that doubles,
/// capped at 15 minutes, and an attempt while locked is answered 429 without the password
/// being checked. A source that has logged in to an account before is not held back by that
/// account's lock (only by its own), so an attacker elsewhere cannot keep the real user out.
public enum LoginThrottle {
    public static let accountLimit: Int64 = 5
    public static let sourceLimit: Int64 = 20
    public static let windowMicroseconds: Int64 = 15 * 60 * 1_000_000
    public static let maximumDelaySeconds: Int64 = 15 * 60
    /// How long a successful login vouches for its source address.
    public static let knownSourceMicroseconds: Int64 = 30 * 24 * 3600 * 1_000_000

    /// One key's state: failures in the current window and the lock, if any.
    public struct Counter: Sendable, Equatable {
        public let failures: Int64
        public let windowStart: Timestamp
        public let lockedUntil: Timestamp

        public init(failures: Int64, windowStart: Timestamp, lockedUntil: Timestamp) {
            self.failures = failures
            self.windowStart = windowStart
            self.lockedUntil = lockedUntil
        }
    }

    public enum Decision: Sendable, Equatable {
        case proceed
        /// Answer 429 with `Retry-After: seconds`.
        case throttled(retryAfterSeconds: Int64)
    }

    public static func accountKey(pseudonym: String) -> String { "account:" + pseudonym }
    public static func sourceKey(address: String?) -> String { "source:" + (address ?? "unknown") }

    /// Whether an attempt may be checked now.
    public static func decide(account: Counter?, source: Counter?, sourceKnown: Bool, now: Timestamp) -> Decision {
        var until = source?.lockedUntil.microsecondsSinceEpoch ?? 0
        if !sourceKnown { until = max(until, account?.lockedUntil.microsecondsSinceEpoch ?? 0) }
        let remaining = until - now.microsecondsSinceEpoch
        guard remaining > 0 else { return .proceed }
        return .throttled(retryAfterSeconds: (remaining + 999_999) / 1_000_000)
    }

    /// The lock a key earns with its `failures`-th failure of the window: none within the
    /// free attempts, then 1 s, 2 s, 4 s, … up to 15 minutes from now.
    public static func lockEnd(failures: Int64, limit: Int64, at now: Timestamp) -> Timestamp? {
        guard failures >= limit else { return nil }
        let exponent = min(failures - limit, 20)
        let seconds = min(Int64(1) << exponent, maximumDelaySeconds)
        return Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch + seconds * 1_000_000)
    }
}
