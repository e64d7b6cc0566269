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

extension Duration {
    /// The duration in seconds, as a floating-point number (for averages and sleeps, never
    /// for money or stored times).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
