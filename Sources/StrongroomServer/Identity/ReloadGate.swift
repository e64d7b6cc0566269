import StrongroomKernel
import Synchronization

/// When a set of verification keys was last read, and who may read it again: a token naming
/// an unknown key triggers a reload, and a stream of such tokens (forged, or from before a
/// rotation reached this process) must not turn into a stream of reads.
final class ReloadGate: Sendable {
    private let last: Mutex<Int64>
    private let clock: any WallClock

    /// Starts as if the keys had just been read.
    init(clock: any WallClock) {
        self.clock = clock
        last = Mutex(clock.now().microsecondsSinceEpoch)
    }

    /// Microseconds since the keys were last read.
    var age: Int64 { clock.now().microsecondsSinceEpoch - last.withLock { $0 } }

    func markReloaded() {
        let now = clock.now().microsecondsSinceEpoch
        last.withLock { $0 = now }
    }

    /// Whether the caller may reload now: true for one caller once `interval` microseconds
    /// have passed since the last reload, which then counts from now.
    func claim(every interval: Int64) -> Bool {
        let now = clock.now().microsecondsSinceEpoch
        return last.withLock { last in
            guard now - last >= interval else { return false }
            last = now
            return true
        }
    }
}
