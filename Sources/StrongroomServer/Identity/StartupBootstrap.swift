import Audit
import Foundation
import Identity
import Secrets
import Storage
import StrongroomKernel

/// Identity's rules for a start, in the unit of work that makes them: a signing key if there
/// is none, the administrator on an empty store (API.md, "Bootstrap: no default
/// credentials"), and the permissions added to the catalogue since an older build
/// bootstrapped the administrators. Each change is audited as the system's. The composition
/// root runs it and reports the outcome; the rules live here, with identity.
enum StartupBootstrap {
    static func run(
        in work: UnitOfWork, box: SecretBox, suppliedPassword: SecretValue?, hasher: PasswordHasher,
        executor: any BlockingExecutor, clock: any WallClock
    ) async throws -> Bootstrap.Outcome {
        if let kid = try await Bootstrap.ensureSigningKey(store: work.identity, box: box, now: clock.now()) {
            work.record(AuditEvent(action: "key.create", resource: "signing-key:\(kid)", outcome: .success, actor: .system, requestID: "startup"))
        }
        let outcome = try await Bootstrap.ensureAdministrator(
            store: work.identity, suppliedPassword: suppliedPassword, hasher: hasher,
            executor: executor, ids: IdentifierGenerator(clock: clock), now: clock.now()
        )
        if outcome != .alreadyInitialized, let admin = try await work.identity.user(username: try Username(Bootstrap.adminUsername)) {
            work.record(AuditEvent(
                action: "user.create", resource: "user:\(admin.id.uuidString.lowercased())", outcome: .success, actor: .system,
                requestID: "startup",
                summary: ["groups": .list([Group.administratorsName]), "bootstrap": .text(outcome == .createdWithSuppliedPassword ? "supplied-password" : "generated-password")]
            ))
        }
        // A database bootstrapped by an older build: its administrators get the permissions
        // added to the catalogue since.
        if let completed = try await Bootstrap.completeAdministrators(store: work.identity) {
            work.record(AuditEvent(
                action: "group.update", resource: "group:\(completed.group.id.uuidString.lowercased())", outcome: .success,
                actor: .system, requestID: "startup", summary: ["permissions_added": .list(completed.added.map(\.rawValue))]
            ))
        }
        return outcome
    }
}
