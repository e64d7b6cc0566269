/// One thing that happened, before the chain gives it a place: who did what to which
/// resource, with what outcome, in which request. The trail appends it as an `AuditRecord`.
///
/// `summary` must never hold a secret or personal data in clear: callers put identifiers,
/// field names, codes and counts there, not values.
public struct AuditEvent: Sendable, Equatable {
    public enum Outcome: String, Sendable, CaseIterable {
        case success
        case failure
        case denied
    }

    public let action: String
    public let resource: String
    public let outcome: Outcome
    public let actor: AuditActor
    public let requestID: String
    public let summary: AuditSummary

    public init(
        action: String, resource: String, outcome: Outcome, actor: AuditActor, requestID: String, summary: AuditSummary = [:]
    ) {
        self.action = action
        self.resource = resource
        self.outcome = outcome
        self.actor = actor
        self.requestID = requestID
        self.summary = summary
    }
}
