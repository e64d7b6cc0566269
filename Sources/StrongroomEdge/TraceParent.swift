import HTTPTypes

/// A W3C Trace Context `traceparent` header (https://www.w3.org/TR/trace-context/): the trace
/// a request belongs to and the span that sent it. The server's log lines for a request carry
/// the incoming trace id, so one id finds a request in the caller's traces and in our logs.
///
/// Parsed strictly, as the recommendation says, and never trusted further than an id: a
/// header that is not exactly right is ignored (a new trace starts), never an error the
/// client sees.
public struct TraceParent: Sendable, Equatable {
    /// 32 lowercase hex digits, not all zero.
    public let traceID: String
    /// 16 lowercase hex digits, not all zero: the caller's span.
    public let parentID: String
    /// The trace flags (bit 0: the caller sampled this trace).
    public let flags: UInt8

    /// Whether the caller records this trace (the flags' bit 0).
    public var isSampled: Bool { flags & 1 == 1 }

    /// Longer than any valid header; a longer one is not read at all.
    static let maxBytes = 512

    /// The header's value, or nil unless it is a valid `traceparent`: version 00 exactly
    /// (`00-` 32 hex `-` 16 hex `-` 2 hex), or a later version (not `ff`) whose first four
    /// fields have that shape and whose rest, if any, starts with `-`.
    public static func parse(_ value: String) -> TraceParent? {
        let bytes = Array(value.utf8.prefix(maxBytes + 1))
        guard bytes.count >= 55, bytes.count <= maxBytes,
            isHex(bytes[0..<2]), isHex(bytes[3..<35]), isHex(bytes[36..<52]), isHex(bytes[53..<55]),
            bytes[2] == dash, bytes[35] == dash, bytes[52] == dash
        else { return nil }
        let version = String(decoding: bytes[0..<2], as: UTF8.self)
        guard version != "ff", version == "00" ? bytes.count == 55 : (bytes.count == 55 || bytes[55] == dash) else { return nil }
        let traceID = String(decoding: bytes[3..<35], as: UTF8.self)
        let parentID = String(decoding: bytes[36..<52], as: UTF8.self)
        guard traceID.utf8.contains(where: { $0 != zero }), parentID.utf8.contains(where: { $0 != zero }) else { return nil }
        return TraceParent(traceID: traceID, parentID: parentID, flags: nibble(bytes[53]) << 4 | nibble(bytes[54]))
    }

    /// The request's one `traceparent`, parsed; nil when there is none, more than one, or it
    /// is not valid.
    public static func of(_ fields: HTTPFields) -> TraceParent? {
        let values = fields[values: .traceparent]
        guard values.count == 1, let value = values.first else { return nil }
        return parse(value)
    }

    private static let dash = UInt8(ascii: "-")
    private static let zero = UInt8(ascii: "0")

    /// A lowercase hex digit's value (the caller checked it is one).
    private static func nibble(_ byte: UInt8) -> UInt8 { byte <= 0x39 ? byte &- 0x30 : byte &- 0x57 }

    /// Lowercase hex only: the recommendation refuses upper case.
    private static func isHex(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
