import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Runs statements on one PostgreSQL connection.
struct PostgresExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger
    /// The statements prepared on the database's connections.
    let statements: PostgresPreparedStatements

    var dialect: SQLDialect { .postgres }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await run(PostgresQuery(unsafeSQL: sql, binds: Self.bindings(binds)))
    }

    func queryReused(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        // Unnamed when prepared would be wrong: a NULL is bound without a type, which the
        // statement would keep, and one without parameters keeps its first plan.
        guard !binds.isEmpty, !binds.contains(.null) else { return try await query(sql, binds) }
        return try await runReused(sql, Self.bindings(binds))
    }

    private func run(_ query: PostgresQuery) async throws -> [SQLRow] {
        try await StatementTracing.run(query.sql, dialect: .postgres) { try await send(query) }
    }

    /// Runs `sql` as a statement prepared on this connection (`PostgresPreparedStatements`),
    /// or unnamed past the bound on names. The span and any error show `sql` itself.
    private func runReused(_ sql: String, _ bindings: PostgresBindings) async throws -> [SQLRow] {
        guard let name = statements.name(of: sql) else { return try await run(PostgresQuery(unsafeSQL: sql, binds: bindings)) }
        return try await StatementTracing.run(sql, dialect: .postgres) {
            try await rows { [connection, logger] in
                try await PostgresPreparedStatements.execute(sql, name: name, bindings: bindings, on: connection, logger: logger)
            }
        }
    }

    private func send(_ query: PostgresQuery) async throws -> [SQLRow] {
        try await rows { [connection, logger] in try await connection.query(query, logger: logger) }
    }

    /// The rows of the statement `start` sends, decoded; the driver's errors translated.
    private func rows<Rows: AsyncSequence>(_ start: () async throws -> Rows) async throws -> [SQLRow] where Rows.Element == PostgresRow {
        // PostgresNIO (1.33) writes a query to its channel without a write promise: a query
        // written to a connection the server has already closed (a database restart in the
        // middle of a transaction) is never answered. So fail it here when the connection is
        // closed, and check on the connection's own event loop: the check and the driver's
        // write then happen in one turn of the loop, where a close cannot come between them.
        // Checked from another thread, a close could land in between; that window would
        // explain the db-fault-test run in which four requests waited forever through a
        // restart and held up the shutdown.
        try await withTaskExecutorPreference(EventLoopTaskExecutor(loop: connection.eventLoop)) {
            guard !connection.isClosed else { throw StorageError.unavailable("the database closed the connection") }
            do {
                var result: [SQLRow] = []
                var columns: SQLColumns?
                for try await row in try await start() {
                    let names = columns ?? SQLColumns(row.map(\.columnName))
                    columns = names
                    result.append(try Self.decode(row, columns: names))
                }
                return result
            } catch let error as PSQLError {
                throw PostgresErrors.translate(error)
            }
        }
    }

    /// One statement whatever the number of rows: each column bound as one array and the
    /// rows selected with `unnest`, so the text (and PostgreSQL's parse and plan of it) does
    /// not grow with the rows, as a multi-row VALUES list's hundreds of parameters do. A
    /// column that is NULL in every row is selected as a NULL literal. (`rowsPerStatement`
    /// bounds SQLite's bind count; arrays have no such bound.)
    func insert(into table: String, columns: String, columnCount: Int, values: [SQLValue], rowsPerStatement: Int) async throws {
        var bindings = PostgresBindings(capacity: columnCount)
        var selected: [String] = []
        var unnested: [String] = []
        var aliases: [String] = []
        for column in 0..<columnCount {
            switch PostgresColumnArray.content(of: values, column: column, columnCount: columnCount) {
            case .allNull:
                selected.append("NULL")
            case .array(let element, let hasNull):
                let array = PostgresColumnArray(values, column: column, columnCount: columnCount, element: element, hasNull: hasNull)
                try bindings.append(array)
                unnested.append("$\(bindings.count)::\(array.sqlType)")
                aliases.append("c\(column)")
                selected.append("u.c\(column)")
            case nil:
                // Mixed kinds in one column: no array type holds them.
                return try await insertValues(
                    into: table, columns: columns, columnCount: columnCount, values: values, rowsPerStatement: rowsPerStatement
                )
            }
        }
        let sql = """
            INSERT INTO \(table) (\(columns)) SELECT \(selected.joined(separator: ", ")) \
            FROM unnest(\(unnested.joined(separator: ", "))) AS u(\(aliases.joined(separator: ", ")))
            """
        _ = try await runReused(sql, bindings)
    }

    static func bindings(_ values: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .int(let v): bindings.append(v)
            case .text(let v): bindings.append(v)
            case .bytes(let v): bindings.append(ByteBuffer(bytes: v))
            case .bool(let v): bindings.append(v)
            }
        }
        return bindings
    }

    /// `row`'s values; `columns` names them (every row of a result has the same columns).
    static func decode(_ row: PostgresRow, columns: SQLColumns) throws -> SQLRow {
        var values: [SQLValue] = []
        for cell in row {
            guard cell.bytes != nil else {
                values.append(.null)
                continue
            }
            switch cell.dataType {
            case .int8, .int4, .int2: values.append(.int(try cell.decode(Int64.self)))
            case .bool: values.append(.bool(try cell.decode(Bool.self)))
            case .bytea: values.append(.bytes(Array(try cell.decode(ByteBuffer.self).readableBytesView)))
            case .uuid: values.append(.text(try cell.decode(UUID.self).uuidString.lowercased()))
            default: values.append(.text(try cell.decode(String.self)))
            }
        }
        return SQLRow(columns: columns, values: values)
    }
}

/// SQLSTATEs the layers above react to.
enum PostgresErrors {
    static let uniqueViolation = "23505"
    static let serializationFailure = "40001"
    static let deadlockDetected = "40P01"

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func translate(_ error: PSQLError) -> any Error {
        if let state = error.serverInfo?[.sqlState] {
            if state == uniqueViolation {
                return UniqueViolation(detail: error.serverInfo?[.message] ?? "unique violation")
            }
            // Class 08 (connection exception) and 57P0x (shutting down): the database is gone.
            if state.hasPrefix("08") || state.hasPrefix("57P0") {
                return StorageError.unavailable("the database closed the connection")
            }
            return error
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection:
            return StorageError.unavailable("the connection to the database failed")
        default:
            return error
        }
    }
}
