import NIOCore
import PostgresNIO

/// One column of a bulk statement's rows as a PostgreSQL array parameter, in the binary
/// array format (`array_send`): NULL elements allowed, which postgres-nio's own array
/// encoding does not offer. `PostgresExecutor.insert` binds one per column and selects the
/// rows with `unnest`, so the statement's text is the same however many rows it carries.
struct PostgresColumnArray: PostgresThrowingDynamicTypeEncodable {
    /// What one column holds.
    enum Content: Equatable {
        /// Every row is NULL: the statement selects a NULL literal instead of binding.
        case allNull
        /// An array of this element type, with or without NULL elements.
        case array(PostgresDataType, hasNull: Bool)
    }

    let psqlType: PostgresDataType
    var psqlFormat: PostgresFormat { .binary }
    private let bytes: ByteBuffer

    /// What column `column` of `values` (`columnCount` per row) holds, or nil when its
    /// non-NULL values are not all of one kind (which no store writes).
    static func content(of values: [SQLValue], column: Int, columnCount: Int) -> Content? {
        var kind: PostgresDataType?
        var hasNull = false
        for value in stride(from: column, to: values.count, by: columnCount).lazy.map({ values[$0] }) {
            let this: PostgresDataType
            switch value {
            case .null:
                hasNull = true
                continue
            case .int: this = .int8
            case .bool: this = .bool
            case .text: this = .text
            case .bytes: this = .bytea
            }
            guard kind == nil || kind == this else { return nil }
            kind = this
        }
        return kind.map { .array($0, hasNull: hasNull) } ?? .allNull
    }

    /// Column `column` of `values` as an array of `element`, as `content(of:…)` answered.
    init(_ values: [SQLValue], column: Int, columnCount: Int, element: PostgresDataType, hasNull: Bool) {
        let rows = values.count / columnCount
        var buffer = ByteBufferAllocator().buffer(capacity: 20 + rows * 16)
        buffer.writeInteger(Int32(1))  // dimensions
        buffer.writeInteger(Int32(hasNull ? 1 : 0))
        buffer.writeInteger(element.rawValue)
        buffer.writeInteger(Int32(rows))  // length of the one dimension
        buffer.writeInteger(Int32(1))  // its lower bound
        for index in stride(from: column, to: values.count, by: columnCount) {
            switch values[index] {
            case .null:
                buffer.writeInteger(Int32(-1))
            case .int(let number):
                buffer.writeInteger(Int32(8))
                buffer.writeInteger(number)
            case .bool(let flag):
                buffer.writeInteger(Int32(1))
                buffer.writeInteger(UInt8(flag ? 1 : 0))
            case .text(let text):
                buffer.writeInteger(Int32(text.utf8.count))
                buffer.writeString(text)
            case .bytes(let data):
                buffer.writeInteger(Int32(data.count))
                buffer.writeBytes(data)
            }
        }
        self.bytes = buffer
        self.psqlType = switch element {
        case .int8: .int8Array
        case .bool: .boolArray
        case .bytea: .byteaArray
        default: .textArray
        }
    }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) throws {
        byteBuffer.writeImmutableBuffer(bytes)
    }

    /// The SQL name of the array type, for the statement's casts.
    var sqlType: String {
        switch psqlType {
        case .int8Array: "int8[]"
        case .boolArray: "bool[]"
        case .byteaArray: "bytea[]"
        default: "text[]"
        }
    }
}
