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

/// Lowercase hexadecimal.
public enum Hex {
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of lowercase hex text, or nil for anything else (upper case included, so
    /// one value has one spelling).
    public static func bytes(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
