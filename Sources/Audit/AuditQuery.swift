import StrongroomKernel

/// A page of the audit trail: records after `afterSeq`, in ascending `seq`, that match
/// every filter given.
public struct AuditQuery: Sendable, Equatable {
    public static let maxLimit = 1_000

    public var actorID: String?
    public var action: String?
    public var resource: String?
    public var outcome: String?
    /// Recorded at or after.
    public var from: Timestamp?
    /// Recorded before.
    public var to: Timestamp?
    /// Any of these actions (with `action`, both hold); empty for any.
    public var actions: [String] = []
    /// Records whose summary names this organization as its `organization_id` (the holders'
    /// records do: `GET …/protection/audit`).
    public var organizationID: String?
    public var afterSeq: Int64
    public var limit: Int

    public init(
        actorID: String? = nil, action: String? = nil, resource: String? = nil, outcome: String? = nil, from: Timestamp? = nil,
        to: Timestamp? = nil, afterSeq: Int64 = 0, limit: Int = 100
    ) {
        self.actorID = actorID
        self.action = action
        self.resource = resource
        self.outcome = outcome
        self.from = from
        self.to = to
        self.afterSeq = afterSeq
        self.limit = limit
    }
}
