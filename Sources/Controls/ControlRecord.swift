import StrongroomKernel

/// Who set a freeze or lock, when, and why: what the entity's JSON shows while the control
/// holds (`freeze` on an account or a ledger, `lock` on a portfolio). Lifting the control
/// clears it; the audit trail keeps the history of both.
public struct ControlRecord: Sendable, Equatable, Encodable {
    public let reason: String
    /// The principal that set it, as the audit trail names actors.
    public let actor: String
    public let createdAt: Timestamp

    public init(reason: String, actor: String, createdAt: Timestamp) {
        self.reason = reason
        self.actor = actor
        self.createdAt = createdAt
    }
}
