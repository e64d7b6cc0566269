import NIOPosix

/// Runs statements on one SQLite connection: on `pool`'s threads, or on the calling thread
/// when there is none (the writer's: its transactions already run on a thread of its own,
/// `SQLiteDatabase.transaction`).
struct SQLiteExecutor: SQLExecutor {
    let handle: SQLiteHandle
    let pool: NIOThreadPool?

    var dialect: SQLDialect { .sqlite }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await StatementTracing.run(sql, dialect: .sqlite) {
            guard let pool else { return try handle.query(sql, binds) }
            return try await pool.runIfActive { [handle] in try handle.query(sql, binds) }
        }
    }

    /// `$12` → `?12`: SQLite binds `?NNN` to parameter NNN, exactly as PostgreSQL binds `$NNN`.
    /// Statements are the project's own constants; none has a `$` inside a string literal.
    /// A `$` right after a word character (an identifier's own `$`) stays; bytes of non-ASCII
    /// characters count as word characters. Runs when a connection first prepares a statement.
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
}

/// A unique or primary-key constraint refused a row: the stores turn it into a 409 with
/// their own code.
public struct UniqueViolation: Error, Sendable {
    public let detail: String
}
