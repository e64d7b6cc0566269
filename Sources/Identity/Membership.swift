import StrongroomKernel

/// A user's or client's place in a group, with when it lapses (nil: never).
public struct Membership: Sendable, Equatable {
    public let group: Group
    public let expiresAt: Timestamp?

    public init(group: Group, expiresAt: Timestamp?) {
        self.group = group
        self.expiresAt = expiresAt
    }

    public func isInForce(at now: Timestamp) -> Bool { AccessExpiry.isInForce(expiresAt, at: now) }
}
