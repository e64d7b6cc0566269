import StrongroomKernel

/// One thing that happened, as the unit of work collects it before commit: who did what to
/// which resource, with what outcome. The audit trail (hash chain, sequence numbers,
/// checkpoints) turns these into records in the same transaction as the change.
///
/// `summary` must never hold a secret or personal data in clear: callers put identifiers
/// and field names there, not values.
public struct AuditEvent: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case success
        case failure
        case denied
    }

    public let action: String
    public let resource: String
    public let outcome: Outcome
    public let actor: AuditActor
    public let requestID: String
    public let summary: [String: String]

    public init(
        action: String, resource: String, outcome: Outcome, actor: AuditActor, requestID: String,
        summary: [String: String] = [:]
    ) {
        self.action = action
        self.resource = resource
        self.outcome = outcome
        self.actor = actor
        self.requestID = requestID
        self.summary = summary
    }
}
