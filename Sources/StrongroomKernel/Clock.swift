/// Where the current time comes from. The core never reads the world's clock itself: the
/// shell injects one, and tests inject a fixed or stepping one.
public protocol WallClock: Sendable {
    func now() -> Timestamp
}

/// A clock that always answers the same instant, for deterministic tests.
public struct FixedClock: WallClock {
    public let instant: Timestamp

    public init(_ instant: Timestamp) { self.instant = instant }

    public func now() -> Timestamp { instant }
}
