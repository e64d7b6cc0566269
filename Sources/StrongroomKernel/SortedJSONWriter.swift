/// Writes JSON text byte for byte as `JSONEncoder` writes it with `.sortedKeys` and
/// `.withoutEscapingSlashes`, for the answers rendered on the write path's serial section
/// (a posted transaction), where `JSONEncoder`'s generic containers were a fifth of the
/// writer thread's time ("Answers written by hand" in docs/ARCHITECTURE.md).
///
/// The writer does not sort: a caller writes an object's keys in ascending order of their
/// UTF-8 bytes, as `JSONEncoder` sorts them. Tests hold every caller to `JSONEncoder`'s
/// bytes for the same value.
public struct SortedJSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// `value`'s JSON text.
    public static func write(_ value: some SortedJSONWritable, capacity: Int = 1024) -> [UInt8] {
        var writer = SortedJSONWriter(capacity: capacity)
        value.write(to: &writer)
        return writer.bytes
    }

    public mutating func beginObject() { bytes.append(UInt8(ascii: "{")) }

    public mutating func endObject() { bytes.append(UInt8(ascii: "}")) }

    public mutating func beginArray() { bytes.append(UInt8(ascii: "[")) }

    public mutating func endArray() { bytes.append(UInt8(ascii: "]")) }

    /// Starts an object member: `,` unless it is the object's first, then `"name":`. `name`
    /// is written as it is, so it must need no escaping.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an array element: `,` unless it is the array's first.
    public mutating func element() { separate() }

    /// A string, escaped as `JSONEncoder` escapes it: `"` and `\`, the short forms `\b \f \n
    /// \r \t`, other control characters as `\u00xx` in lower-case hex, everything else
    /// (`/` and all non-ASCII) as its UTF-8 bytes.
    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var plainFrom = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom..<index]))
                plainFrom = index + 1
                escape(byte)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(value.magnitude)
    }

    public mutating func bool(_ value: Bool) {
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    /// JSON text that is already canonical (made by `JSONEncoder` with the same options).
    public mutating func json(_ text: some Sequence<UInt8>) {
        bytes.append(contentsOf: text)
    }

    /// `"name":"value"`.
    public mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// `"name":"value"`, or nothing when `value` is nil: `JSONEncoder`'s `encodeIfPresent`.
    public mutating func member(_ name: StaticString, ifPresent value: String?) {
        guard let value else { return }
        member(name, value)
    }

    /// `"name":` and the value's own rendering.
    @inlinable
    public mutating func member(_ name: StaticString, _ value: some SortedJSONWritable) {
        key(name)
        value.write(to: &self)
    }

    /// `"name":` and the value's own rendering, or nothing when `value` is nil.
    @inlinable
    public mutating func member(_ name: StaticString, ifPresent value: (some SortedJSONWritable)?) {
        guard let value else { return }
        member(name, value)
    }

    public mutating func member(_ name: StaticString, _ value: Int64) {
        key(name)
        integer(value)
    }

    public mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    private mutating func separate() {
        guard let last = bytes.last, last != UInt8(ascii: "{"), last != UInt8(ascii: "[") else { return }
        bytes.append(UInt8(ascii: ","))
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            hex.withUTF8Buffer { bytes.append(contentsOf: [$0[Int(byte >> 4)], $0[Int(byte & 0x0F)]]) }
        }
    }

    private mutating func digits(_ value: UInt64) {
        let start = bytes.count
        var rest = value
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
    }
}

/// A value rendered by hand into sorted-key JSON, byte for byte what `JSONEncoder` with
/// `.sortedKeys` and `.withoutEscapingSlashes` would write for the same shape. For some
/// types (a transaction, an operation) it is their only rendering; for others (a request
/// body whose canonical text an idempotency key hashes) it must match their `Encodable` one.
public protocol SortedJSONWritable {
    func write(to json: inout SortedJSONWriter)
}

extension Timestamp: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) { json.string(description) }
}
