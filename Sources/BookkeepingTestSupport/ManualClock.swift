import StrongroomKernel
import Synchronization

/// A clock that stands still until a case moves it, so an expiry is passed exactly when the
/// case says and never by a slow machine.
public final class ManualClock: WallClock, Sendable {
    /// 2026-11-21T00:00:00Z: a fixed start, so every run of the suite sees the same times.
    public static let start = Timestamp(microsecondsSinceEpoch: 1_795_219_200_000_000)

    private let current: Mutex<Int64>

    public init(start: Timestamp = ManualClock.start) { current = Mutex(start.microsecondsSinceEpoch) }

    public func now() -> Timestamp { Timestamp(microsecondsSinceEpoch: current.withLock { $0 }) }

    public func advance(seconds: Int64) { current.withLock { $0 += seconds * 1_000_000 } }
}
