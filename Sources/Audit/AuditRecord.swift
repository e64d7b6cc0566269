import StrongroomKernel

/// One record of the chain, exactly as stored. Fields are kept as the text the database
/// holds (not as enums), so a verifier can re-derive the hash of whatever is there, even a
/// value no build of Strongroom would write.
public struct AuditRecord: Sendable, Equatable {
    public let seq: Int64
    public let time: Timestamp
    public let actorKind: String
    public let actorID: String
    public let actorAddress: String?
    public let action: String
    public let resource: String
    public let outcome: String
    public let requestID: String
    /// Canonical JSON text (`AuditSummary.canonicalText`).
    public let summary: String
    /// Lowercase hex of 32 bytes.
    public let prevHash: String
    public let hash: String

    public init(
        seq: Int64, time: Timestamp, actorKind: String, actorID: String, actorAddress: String?, action: String,
        resource: String, outcome: String, requestID: String, summary: String, prevHash: String, hash: String
    ) {
        self.seq = seq
        self.time = time
        self.actorKind = actorKind
        self.actorID = actorID
        self.actorAddress = actorAddress
        self.action = action
        self.resource = resource
        self.outcome = outcome
        self.requestID = requestID
        self.summary = summary
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The hash these fields (with this record's `prevHash`) should carry.
    public var derivedHash: String? { AuditRecordHash.hash(of: self) }
}

/// The last record of a chain: where the next one attaches.
public struct AuditChainHead: Sendable, Equatable {
    public let seq: Int64
    public let hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// Before the first record: sequence 0, and the all-zero hash record 1 links to.
    public static let genesis = AuditChainHead(seq: 0, hash: String(repeating: "0", count: 64))
}
