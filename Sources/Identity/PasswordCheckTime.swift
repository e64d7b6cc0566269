import StrongroomKernel
import Synchronization

/// How long checking a password takes on this machine now: a moving average of the real
/// checks, which a login for a name that does not exist waits out instead of hashing.
///
/// The average follows the load (a check under CPU contention takes longer, and so does the
/// wait after it) without being moved far by one outlier: each check weighs a quarter.
final class PasswordCheckTime: Sendable {
    private static let weight = 0.25
    private let average: Mutex<Double>

    init(initial: Duration) {
        average = Mutex(initial.inSeconds)
    }

    /// The current estimate, in seconds.
    var seconds: Double { average.withLock { $0 } }

    func observe(_ check: Duration) {
        let sample = check.inSeconds
        average.withLock { $0 += Self.weight * (sample - $0) }
    }
}
