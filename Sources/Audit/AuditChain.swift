import StrongroomKernel

/// Places events on the chain: consecutive sequence numbers after the head, each record
/// hashed over its fields and the previous record's hash.
public enum AuditChain {
    public static func extend(_ head: AuditChainHead, with events: [AuditEvent], at time: Timestamp) -> [AuditRecord] {
        var previous = head
        var records: [AuditRecord] = []
        records.reserveCapacity(events.count)
        for event in events {
            let unhashed = AuditRecord(
                seq: previous.seq + 1, time: time, actorKind: event.actor.kind.rawValue, actorID: event.actor.id,
                actorAddress: event.actor.sourceAddress, action: event.action, resource: event.resource,
                outcome: event.outcome.rawValue, requestID: event.requestID, summary: event.summary.canonicalText,
                prevHash: previous.hash, hash: ""
            )
            // The head's hash is always 64 hex digits: it came from this function or from
            // `genesis`, so hashing cannot fail here.
            let record = unhashed.withHash(AuditRecordHash.hash(of: unhashed)!)
            records.append(record)
            previous = AuditChainHead(seq: record.seq, hash: record.hash)
        }
        return records
    }
}

extension AuditRecord {
    func withHash(_ hash: String) -> AuditRecord {
        AuditRecord(
            seq: seq, time: time, actorKind: actorKind, actorID: actorID, actorAddress: actorAddress, action: action,
            resource: resource, outcome: outcome, requestID: requestID, summary: summary, prevHash: prevHash, hash: hash
        )
    }
}
