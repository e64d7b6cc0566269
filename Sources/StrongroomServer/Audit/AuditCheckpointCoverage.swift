import StrongroomKernel
import Synchronization

/// When the checkpoint writer last saw the audit chain's head covered by a signed checkpoint,
/// one it wrote or one it found already there: `strongroom_audit_checkpoint_age_seconds`. An
/// idle chain whose head was signed long ago is still covered, so its age stays low for as
/// long as the writer runs; the age grows only when the writer stops covering the head (it
/// fails, or refuses an inconsistent directory), which is what an operator alerts on.
final class AuditCheckpointCoverage: Sendable {
    /// No coverage seen yet.
    private static let never = Int64.min
    /// Microseconds since the Unix epoch.
    private let coveredAt = Atomic<Int64>(never)

    init() {}

    func covered(at time: Timestamp) {
        coveredAt.store(time.microsecondsSinceEpoch, ordering: .relaxed)
    }

    /// Seconds from the last coverage to `now` (0 if the clock went back); -1 before the first.
    func ageSeconds(at now: Timestamp) -> Double {
        let then = coveredAt.load(ordering: .relaxed)
        guard then != Self.never else { return -1 }
        let (elapsed, overflow) = now.microsecondsSinceEpoch.subtractingReportingOverflow(then)
        guard !overflow else { return -1 }
        return Double(max(elapsed, 0)) / 1_000_000
    }
}
