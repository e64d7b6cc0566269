import StrongroomKernel
import Crypto

/// The one encoding the chain hashes: a domain tag, then every field in a fixed order,
/// each length-prefixed, so no two different records encode alike and no byte of a record
/// is left out. Integers are 8 big-endian bytes; text is UTF-8 after a 4-byte length; the
/// optional address has a presence byte; `prev_hash` is its 32 raw bytes.
public enum AuditRecordHash {
    static let domain = Array("strongroom.audit-record.v1".utf8)

    /// The hex SHA-256 of the record's fields with its `prevHash`, or nil when `prevHash`
    /// is not 64 hex digits (a stored value that no writer produced).
    public static func hash(of record: AuditRecord) -> String? {
        guard let previous = Hex.bytes(record.prevHash), previous.count == 32 else { return nil }
        var hasher = SHA256()
        hasher.update(data: domain)
        integer(record.seq, &hasher)
        integer(record.time.microsecondsSinceEpoch, &hasher)
        text(record.actorKind, &hasher)
        text(record.actorID, &hasher)
        if let address = record.actorAddress {
            hasher.update(data: [1])
            text(address, &hasher)
        } else {
            hasher.update(data: [0])
        }
        text(record.action, &hasher)
        text(record.resource, &hasher)
        text(record.outcome, &hasher)
        text(record.requestID, &hasher)
        text(record.summary, &hasher)
        hasher.update(data: previous)
        return Hex.string(hasher.finalize())
    }

    private static func integer(_ value: Int64, _ hasher: inout SHA256) {
        withUnsafeBytes(of: UInt64(bitPattern: value).bigEndian) { hasher.update(bufferPointer: $0) }
    }

    private static func text(_ value: String, _ hasher: inout SHA256) {
        let bytes = Array(value.utf8)
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(data: bytes)
    }
}
