import NIOCore
import SQLiteNIO
import Synchronization

/// Runs statements on one SQLite connection.
struct SQLiteExecutor: SQLExecutor {
    let connection: SQLiteConnection

    var dialect: SQLDialect { .sqlite }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let rows = Mutex<[SQLRow]>([])
        do {
            try await connection.query(Self.rewritePlaceholders(sql), binds.map(Self.encode)) { row in
                var columns: [String: SQLValue] = [:]
                for column in row.columns { columns[column.name] = Self.decode(column.data) }
                rows.withLock { $0.append(SQLRow(columns: columns)) }
            }
        } catch let error as SQLiteError {
            throw SQLiteErrors.translate(error)
        }
        return rows.withLock { $0 }
    }

    /// `$12` → `?12`: SQLite binds `?NNN` to parameter NNN, exactly as PostgreSQL binds `$NNN`.
    /// Statements are the project's own constants; none has a `$` inside a string literal.
    /// A `$` right after a word character (an identifier's own `$`) stays; bytes of non-ASCII
    /// characters count as word characters. Runs over bytes: this is on every statement of
    /// the serial flush, and a bulk INSERT's text is kilobytes long.
    static func rewritePlaceholders(_ sql: String) -> String {
        guard sql.utf8.contains(UInt8(ascii: "$")) else { return sql }
        var bytes = Array(sql.utf8)
        var previous = UInt8(ascii: " ")
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: "$") && !isWordByte(previous) { bytes[index] = UInt8(ascii: "?") }
            previous = byte
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), 0x80...: true
        default: false
        }
    }

    static func encode(_ value: SQLValue) -> SQLiteData {
        switch value {
        case .null: .null
        case .int(let v): .integer(SQLiteInt64(v))
        case .text(let v): .text(v)
        case .bytes(let v): .blob(ByteBuffer(bytes: v))
        case .bool(let v): .integer(v ? 1 : 0)
        }
    }

    static func decode(_ data: SQLiteData) -> SQLValue {
        switch data {
        case .null: .null
        case .integer(let v): .int(Int64(v))
        case .text(let v): .text(v)
        case .blob(let buffer): .bytes(Array(buffer.readableBytesView))
        // No column of ours holds a float; surface it as text rather than lose precision.
        case .float(let v): .text(String(v))
        }
    }
}

/// SQLite's result codes, mapped onto what the stores react to.
enum SQLiteErrors {
    static func translate(_ error: SQLiteError) -> any Error {
        switch error.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed:
            return UniqueViolation(detail: error.message)
        default:
            return error
        }
    }
}

/// A unique or primary-key constraint refused a row: the stores turn it into a 409 with
/// their own code.
public struct UniqueViolation: Error, Sendable {
    public let detail: String
}
