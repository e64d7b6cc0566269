import Audit
import Storage
import StrongroomKernel
import Synchronization

/// One state-changing request as the audit trail sees it: the action its route declared,
/// who asked, and whether its success has been recorded in a unit of work yet.
///
/// The guard creates it once the caller is known. A handler records its success inside its
/// unit of work (`context.recordSuccess(in:resource:summary:)`); whatever else happens to
/// the request (the handler threw, the guard refused) the guard turns into a failure or
/// denial for the outbox.
final class RequestAudit: Sendable {
    let action: String
    let actor: AuditActor
    let requestID: String
    /// What the request names, until the handler says better (the concrete path).
    let path: String
    private let state = Mutex(State())

    private struct State {
        var recorded = false
        var changedNothing = false
        var resource: String?
    }

    init(action: String, actor: AuditActor, requestID: String, path: String) {
        self.action = action
        self.actor = actor
        self.requestID = requestID
        self.path = path
    }

    /// The success event for the unit of work; marks the request recorded. `actor` replaces
    /// the caller when the request itself establishes who acts (a login).
    func success(resource: String, summary: AuditSummary, actor: AuditActor? = nil) -> AuditEvent {
        event(.success, resource: resource, summary: summary, actor: actor)
    }

    /// The request's one event with the given outcome; marks the request recorded. For a
    /// refusal that itself changes state (a reused refresh token revokes its family), which
    /// must commit with that change.
    func event(_ outcome: AuditEvent.Outcome, resource: String, summary: AuditSummary, actor: AuditActor? = nil) -> AuditEvent {
        state.withLock { $0.recorded = true }
        return AuditEvent(
            action: action, resource: resource, outcome: outcome, actor: actor ?? self.actor, requestID: requestID, summary: summary
        )
    }

    /// Names the resource a failure record should carry (a handler that knows it early, such
    /// as login naming the pseudonymous account).
    func describe(resource: String) {
        state.withLock { $0.resource = resource }
    }

    var recorded: Bool { state.withLock { $0.recorded } }

    /// Says the request succeeded without changing anything (revoking an unknown token):
    /// the guard records it through the outbox, as it does a refusal.
    func changedNothing() { state.withLock { $0.changedNothing = true } }

    var didChangeNothing: Bool { state.withLock { $0.changedNothing } }

    /// The record of a request that did not succeed.
    func failure(_ outcome: AuditEvent.Outcome, status: Int, code: String?) -> AuditEvent {
        var summary: AuditSummary = ["status": .number(Int64(status))]
        if let code { summary["code"] = .text(code) }
        return AuditEvent(
            action: action, resource: state.withLock { $0.resource } ?? path, outcome: outcome, actor: actor, requestID: requestID,
            summary: summary
        )
    }
}

extension AppRequestContext {
    /// Records this request's success in `work`: it commits with the change, or not at all.
    func recordSuccess(in work: UnitOfWork, resource: String, summary: AuditSummary = [:], actor: AuditActor? = nil) throws {
        try record(in: work, .success, resource: resource, summary: summary, actor: actor)
    }

    /// Records a refusal that changed state in `work` (and so commits with it).
    func recordRefusal(
        in work: UnitOfWork, _ outcome: AuditEvent.Outcome, resource: String, summary: AuditSummary, actor: AuditActor? = nil
    ) throws {
        try record(in: work, outcome, resource: resource, summary: summary, actor: actor)
    }

    private func record(
        in work: UnitOfWork, _ outcome: AuditEvent.Outcome, resource: String, summary: AuditSummary, actor: AuditActor?
    ) throws {
        guard let audit else { throw StrongroomError.unauditedWrite }
        work.record(audit.event(outcome, resource: resource, summary: summary, actor: actor))
    }
}

extension StrongroomError {
    /// A write on a route declared without an audit action: only routes declared with one
    /// get a write, so this is a bug, and the change must not commit unrecorded.
    static let unauditedWrite = StrongroomError(.internalError, "A write was attempted without an audit action.")
}
