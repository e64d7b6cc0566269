import Synchronization
import VaporCSQLite

/// One SQLite connection, driven through SQLite's C API on the calling thread, with its
/// prepared statements kept for reuse.
///
/// sqlite-nio, whose build of SQLite this is, runs each statement on a thread pool, answers
/// through a future on an event loop with one more future per row, and prepares the
/// statement anew every time; the group-commit flush is a chain of a dozen statements, and
/// those hops and parses were a third of its wall time. Here a statement runs where it is
/// called: the writer's transactions run on the writer's own thread
/// (`SQLiteDatabase.transaction`), the readers' and the checkpointer's calls on their pools.
///
/// The connection is opened without SQLite's own mutex: every use goes through `state`'s
/// lock, which also guards the statement cache.
final class SQLiteHandle: Sendable {
    /// The most prepared statements one connection keeps. The stores' statements are a few
    /// dozen, but a bulk statement has one shape per row count, and a group commit's flush
    /// sizes vary: the writer meets several hundred shapes. Past the bound the least
    /// recently used statement is finalized, so the shapes of the usual flush sizes stay
    /// prepared (docs/PERFORMANCE.md, "the statement cache keeps the most recently used").
    static let cachedStatements = 512

    private let state: Mutex<State>

    private init(connection: sending OpaquePointer, statementCapacity: Int) {
        self.state = Mutex(State(connection: connection, capacity: statementCapacity))
    }

    /// Opens (creating if need be) the database file at `path`.
    static func open(path: String, statementCapacity: Int = cachedStatements) throws -> SQLiteHandle {
        precondition(statementCapacity >= 1)
        _ = initialized
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite_nio_sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let message = errorMessage(of: connection) ?? "cannot open"
            sqlite_nio_sqlite3_close(connection)
            throw SQLiteFailure(code: code, message: message)
        }
        return SQLiteHandle(connection: connection, statementCapacity: statementCapacity)
    }

    /// The connection's message for its last failed call.
    private static func errorMessage(of connection: OpaquePointer?) -> String? {
        connection.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) }
    }

    /// SQLite's global set-up, once per process before the first connection.
    private static let initialized: Void = { _ = sqlite_nio_sqlite3_initialize() }()

    /// Runs one statement (`?NNN` or `$NNN` placeholders) and answers its rows.
    func query(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        try state.withLock { try $0.run(sql, binds) }
    }

    /// The pages this connection has written to the WAL since the last call (SQLite's
    /// `SQLITE_DBSTATUS_CACHE_WRITE`, read and reset).
    func takePagesWritten() -> Int {
        state.withLock { state in
            guard let connection = state.connection else { return 0 }
            var current: Int32 = 0
            var highwater: Int32 = 0
            guard sqlite_nio_sqlite3_db_status(connection, SQLITE_DBSTATUS_CACHE_WRITE, &current, &highwater, 1) == SQLITE_OK else {
                return 0
            }
            return Int(current)
        }
    }

    /// How many statements this connection has prepared (cache misses) since it opened.
    var statementsPrepared: Int {
        state.withLock { $0.preparations }
    }

    /// Finalizes the statements and closes the connection; later queries fail.
    func close() {
        state.withLock { $0.close() }
    }

    deinit {
        state.withLock { $0.close() }
    }

    private struct Prepared {
        let statement: OpaquePointer
        let columns: SQLColumns
        let columnCount: Int
        /// Kept in the cache after it runs; otherwise finalized then.
        let isCached: Bool
    }

    private struct Cached {
        let prepared: Prepared
        /// `State.uses` when the statement last ran: the eviction order.
        var lastUse: UInt64
    }

    private struct State: ~Copyable {
        var connection: OpaquePointer?
        let capacity: Int
        var statements: [String: Cached] = [:]
        /// Statements run so far: the clock of the cache's recency.
        var uses: UInt64 = 0
        /// Statements prepared so far.
        var preparations = 0

        init(connection: OpaquePointer, capacity: Int) {
            self.connection = connection
            self.capacity = capacity
        }

        mutating func run(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
            let prepared = try prepare(sql)
            let statement = prepared.statement
            defer {
                if prepared.isCached {
                    sqlite_nio_sqlite3_reset(statement)
                    sqlite_nio_sqlite3_clear_bindings(statement)
                } else {
                    sqlite_nio_sqlite3_finalize(statement)
                }
            }
            for (offset, value) in binds.enumerated() {
                try check(Self.bind(value, at: Int32(offset + 1), to: statement))
            }
            var rows: [SQLRow] = []
            while true {
                let code = sqlite_nio_sqlite3_step(statement)
                if code == SQLITE_DONE { return rows }
                guard code == SQLITE_ROW else { throw failure(code) }
                var values: [SQLValue] = []
                values.reserveCapacity(prepared.columnCount)
                for index in 0..<Int32(prepared.columnCount) {
                    values.append(Self.value(at: index, of: statement))
                }
                rows.append(SQLRow(columns: prepared.columns, values: values))
            }
        }

        /// The statement for `sql`, prepared once and then reused while it stays among the
        /// `capacity` most recently used. A statement of more than `SQLBulk.maxBinds`
        /// parameters (the audit chain's 500-record INSERT, about 750 KB of SQLite's memory
        /// where the stores' bulk statements take at most about 110 KB) is rare and not kept,
        /// so the cache's memory stays bounded by the common shapes.
        private mutating func prepare(_ sql: String) throws -> Prepared {
            uses += 1
            if let index = statements.index(forKey: sql) {
                statements.values[index].lastUse = uses
                return statements.values[index].prepared
            }
            guard let connection else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed") }
            var statement: OpaquePointer?
            let text = SQLiteExecutor.rewritePlaceholders(sql)
            let code = sqlite_nio_sqlite3_prepare_v3(connection, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
            guard code == SQLITE_OK else { throw failure(code) }
            // An empty statement (only white space or a comment) prepares to nothing.
            guard let statement else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "empty statement") }
            let count = sqlite_nio_sqlite3_column_count(statement)
            let names = (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) }
            let isCached = sqlite_nio_sqlite3_bind_parameter_count(statement) <= SQLBulk.maxBinds
            let prepared = Prepared(statement: statement, columns: SQLColumns(names), columnCount: Int(count), isCached: isCached)
            if isCached {
                if statements.count >= capacity { evictLeastRecentlyUsed() }
                statements[sql] = Cached(prepared: prepared, lastUse: uses)
            }
            preparations += 1
            return prepared
        }

        /// Finalizes the statement that ran longest ago. A scan of the cache, paid only by a
        /// miss when it is full.
        private mutating func evictLeastRecentlyUsed() {
            guard let oldest = statements.min(by: { $0.value.lastUse < $1.value.lastUse }) else { return }
            sqlite_nio_sqlite3_finalize(oldest.value.prepared.statement)
            statements.removeValue(forKey: oldest.key)
        }

        private static func bind(_ value: SQLValue, at index: Int32, to statement: OpaquePointer) -> Int32 {
            switch value {
            case .null:
                return sqlite_nio_sqlite3_bind_null(statement, index)
            case .int(let number):
                return sqlite_nio_sqlite3_bind_int64(statement, index, number)
            case .bool(let flag):
                return sqlite_nio_sqlite3_bind_int64(statement, index, flag ? 1 : 0)
            case .text(let text):
                // The length is given, so a NUL inside the text is kept, not an end.
                return text.withCString {
                    sqlite_nio_sqlite3_bind_text64(statement, index, $0, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
                }
            case .bytes(let bytes):
                return bytes.withUnsafeBytes { buffer in
                    // A zero-length blob needs a non-null pointer, or SQLite stores NULL.
                    sqlite_nio_sqlite3_bind_blob64(
                        statement, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(buffer.count), transient
                    )
                }
            }
        }

        private static func value(at index: Int32, of statement: OpaquePointer) -> SQLValue {
            switch sqlite_nio_sqlite3_column_type(statement, index) {
            case SQLITE_INTEGER:
                return .int(sqlite_nio_sqlite3_column_int64(statement, index))
            case SQLITE_TEXT:
                // The pointer first, then the length: asking for the length first may convert.
                let text = sqlite_nio_sqlite3_column_text(statement, index)
                let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
                return .text(String(decoding: UnsafeBufferPointer(start: text, count: text == nil ? 0 : count), as: UTF8.self))
            case SQLITE_BLOB:
                let blob = sqlite_nio_sqlite3_column_blob(statement, index)
                let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
                return .bytes(Array(UnsafeRawBufferPointer(start: blob, count: blob == nil ? 0 : count)))
            case SQLITE_FLOAT:
                // No column of ours holds a float; surface it as text rather than lose precision.
                return .text(String(sqlite_nio_sqlite3_column_double(statement, index)))
            default:
                return .null
            }
        }

        private func check(_ code: Int32) throws {
            guard code == SQLITE_OK else { throw failure(code) }
        }

        /// The error for a failed call, with the connection's message for it; a unique or
        /// primary-key violation is the stores' `UniqueViolation`.
        private func failure(_ code: Int32) -> any Error {
            let message = SQLiteHandle.errorMessage(of: connection) ?? "unknown error"
            switch code {
            case constraintUnique, constraintPrimaryKey: return UniqueViolation(detail: message)
            default: return SQLiteFailure(code: code, message: message)
            }
        }

        private mutating func finalizeAll() {
            for cached in statements.values { sqlite_nio_sqlite3_finalize(cached.prepared.statement) }
            statements.removeAll()
        }

        mutating func close() {
            finalizeAll()
            if let connection { sqlite_nio_sqlite3_close(connection) }
            connection = nil
        }
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies a bound value before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// The extended result codes `SQLITE_CONSTRAINT_UNIQUE` and `SQLITE_CONSTRAINT_PRIMARYKEY`
/// (`SQLITE_CONSTRAINT | 8 << 8` and `| 6 << 8`), which Swift does not import.
private let constraintUnique = SQLITE_CONSTRAINT | 8 << 8
private let constraintPrimaryKey = SQLITE_CONSTRAINT | 6 << 8

/// A SQLite call failed: its (extended) result code and the connection's message.
public struct SQLiteFailure: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let message: String

    public var description: String { "SQLite error \(code): \(message)" }
}
