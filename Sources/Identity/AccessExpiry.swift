import StrongroomKernel

/// The rules for an `expires_at` on a group membership or a grant: time-limited access for
/// a sensitive task, which lapses on its own so nobody has to remember to take it back.
public enum AccessExpiry {
    /// The furthest ahead an expiry may be set: a year and a day, so every time-limited grant
    /// comes up for review at least once a year. Longer access is ordinary access.
    public static let maxDays: Int64 = 366

    /// Why an expiry is refused, for the field's message.
    public enum Refusal: Sendable, Equatable {
        case notInFuture
        case tooFar

        public var message: String {
            switch self {
            case .notInFuture: "must be in the future"
            case .tooFar: "may be at most \(AccessExpiry.maxDays) days ahead"
            }
        }
    }

    /// Nil when `expiresAt` may be set at `now`.
    public static func refusal(of expiresAt: Timestamp, now: Timestamp) -> Refusal? {
        guard expiresAt > now else { return .notInFuture }
        guard expiresAt <= now.adding(seconds: maxDays * 86_400) else { return .tooFar }
        return nil
    }

    /// Whether access that expires at `expiresAt` (nil: never) still holds at `now`. The
    /// instant itself is already lapsed, so "expires at 10:00" means nothing at 10:00.
    public static func isInForce(_ expiresAt: Timestamp?, at now: Timestamp) -> Bool {
        guard let expiresAt else { return true }
        return now < expiresAt
    }
}
