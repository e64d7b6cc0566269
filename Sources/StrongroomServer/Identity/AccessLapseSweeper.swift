import Audit
import Foundation
import Identity
import Logging
import ServiceLifecycle
import Storage
import StrongroomKernel

/// Removes memberships and grants whose `expires_at` has passed, each in a unit of work with
/// its audit record (`membership.lapse`, `grant.lapse`). Resolution already ignores a lapsed
/// one (`PrincipalResolver`), so access ends within the principal cache's bound whether or
/// not this has run; the sweeper is what makes the lapse a record, exactly once: the delete
/// answers whether this process removed the row, and only then does it record, so two
/// processes sweeping at once record each lapse once, and a restart picks up what is due.
struct AccessLapseSweeper: Service {
    let persistence: Persistence
    let clock: any WallClock
    let logger: Logger
    var intervalSeconds: Int64 = 1

    /// How many lapses one sweep removes at most (each in its own unit of work).
    static let batch = 100

    func run() async throws {
        await PeriodicSweep.run(every: intervalSeconds, logger: logger, failure: "lapse sweep failed; will retry") {
            try await sweep(now: clock.now())
        }
    }

    /// Removes and records what has lapsed at `now`; answers how many this process recorded.
    @discardableResult
    func sweep(now: Timestamp) async throws -> Int {
        var recorded = 0
        for lapse in try await persistence.identity.lapses(at: now, limit: Self.batch) {
            let removed = try await persistence.write { work in
                guard try await work.identity.remove(lapse) else { return false }
                work.record(AuditEvent(
                    action: lapse.action, resource: Self.resource(of: lapse), outcome: .success, actor: .system,
                    requestID: "lapse-sweep", summary: Self.summary(of: lapse)
                ))
                return true
            }
            if removed { recorded += 1 }
        }
        return recorded
    }

    /// The membership's principal, or the grant's group: where an auditor looks for it.
    static func resource(of lapse: AccessLapse) -> String {
        switch lapse.item {
        case .membership(let principalID, let kind, _): "\(kind.rawValue):\(principalID.uuidString.lowercased())"
        case .grant(let groupID, _): "group:\(groupID.uuidString.lowercased())"
        }
    }

    static func summary(of lapse: AccessLapse) -> AuditSummary {
        switch lapse.item {
        case .membership(_, _, let groupID):
            ["group_id": .text(groupID.uuidString.lowercased()), "expires_at": .text(lapse.expiresAt.description)]
        case .grant(_, let permission):
            ["permission": .text(permission.rawValue), "expires_at": .text(lapse.expiresAt.description)]
        }
    }
}
