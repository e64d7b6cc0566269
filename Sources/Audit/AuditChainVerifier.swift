/// What a verification found.
public enum AuditVerification: Sendable, Equatable {
    /// Every record re-derives and links, and every checkpoint agrees. `head` is nil for an
    /// empty chain.
    case valid(records: Int64, head: AuditChainHead?)
    /// The first record that does not hold up, and why.
    case invalid(firstBadSeq: Int64, reason: String)

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }
}

/// Checks a chain record by record, in ascending `seq`, without holding it in memory: each
/// record must come next in sequence, link to the previous record's hash, and carry the
/// hash its own stored fields derive; at the end, every checkpoint must name a record that
/// exists and carries the checkpoint's hash.
public struct AuditChainVerifier: Sendable {
    private var head = AuditChainHead.genesis
    private var failure: AuditVerification?
    /// Checkpoint hashes by size, for the records they name.
    private let checkpoints: [Int64: String]

    public init(checkpoints: [AuditCheckpoint] = []) {
        var bySize: [Int64: String] = [:]
        for checkpoint in checkpoints { bySize[checkpoint.size] = checkpoint.headHash }
        self.checkpoints = bySize
    }

    /// Checks only the records after `start`, trusting `start` itself (a record already
    /// covered by a signed checkpoint).
    public init(startingAfter start: AuditChainHead) {
        self.head = start
        self.checkpoints = [:]
    }

    /// Takes the next record; answers false once the chain is known to be broken (the
    /// caller may stop reading).
    @discardableResult
    public mutating func consume(_ record: AuditRecord) -> Bool {
        guard failure == nil else { return false }
        let expected = head.seq + 1
        if record.seq != expected {
            let what = record.seq > expected ? "missing: the next record stored is \(record.seq)" : "out of order"
            return fail(expected, "record \(expected) is \(what)")
        }
        if record.prevHash != head.hash {
            return fail(expected, "prev_hash is not the hash of record \(head.seq)")
        }
        guard let derived = record.derivedHash, derived == record.hash else {
            return fail(expected, "the stored hash does not match the record's fields")
        }
        if let pinned = checkpoints[record.seq], pinned != record.hash {
            return fail(expected, "records up to \(record.seq) differ from the signed checkpoint of that size")
        }
        head = AuditChainHead(seq: record.seq, hash: record.hash)
        return true
    }

    /// The verdict over everything consumed.
    public func finish() -> AuditVerification {
        if let failure { return failure }
        if let longest = checkpoints.keys.max(), longest > head.seq {
            return .invalid(
                firstBadSeq: head.seq + 1,
                reason: "the chain ends at \(head.seq) but a signed checkpoint covers \(longest) records"
            )
        }
        return .valid(records: head.seq, head: head.seq == 0 ? nil : head)
    }

    private mutating func fail(_ seq: Int64, _ reason: String) -> Bool {
        failure = .invalid(firstBadSeq: seq, reason: reason)
        return false
    }
}
