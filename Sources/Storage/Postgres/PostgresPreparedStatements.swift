import Logging
import PostgresNIO
import Synchronization

/// Names for the statements the stores send again and again (`SQLExecutor.queryReused`: the
/// flush's, whose text does not depend on how many rows they carry), so that PostgreSQL
/// parses and plans each once per connection instead of once per flush.
///
/// postgres-nio prepares a statement on a connection the first time it runs it by name and
/// executes it by name after that (`PostgresConnection.execute(_:logger:)`); its protocol
/// takes the name and text as a type's static properties. The stores' texts are built at run
/// time, so one type, `ReusedStatement`, reads both from a task-local value set around the
/// call (postgres-nio reads them in the calling task, before it suspends). The bindings and
/// their types are the ones an unnamed statement would send, so a statement answers the
/// same either way.
///
/// Plans are not kept: connections start with `plan_cache_mode=force_custom_plan`, so each
/// run is planned with the tables as they are (`PostgresDatabase`). PostgreSQL keeps the
/// first plan of a statement with no parameters whatever that setting says, so such a
/// statement, planned while its table is small, would keep scanning it whole as it grows:
/// run unnamed, as does one with a NULL bind (sent untyped, a type the statement would keep).
///
/// Each distinct text gets a name once per process, the same on every connection. Bounded:
/// at most `maxStatements` texts are named; another one runs unnamed, as before.
final class PostgresPreparedStatements: Sendable {
    static let maxStatements = 256

    private let names = Mutex<[String: String]>([:])

    /// The name of `sql`, or nil when the bound is reached.
    func name(of sql: String) -> String? {
        names.withLock { names in
            if let name = names[sql] { return name }
            guard names.count < Self.maxStatements else { return nil }
            let name = "sr_\(names.count + 1)"
            names[sql] = name
            return name
        }
    }

    /// Sends `sql` with `bindings` on `connection` as its named statement, prepared first
    /// if this connection has not prepared it yet; answers its rows.
    static func execute(
        _ sql: String, name: String, bindings: PostgresBindings, on connection: PostgresConnection, logger: Logger
    ) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, PostgresRow> {
        try await ReusedStatement.$current.withValue(.init(name: name, sql: sql)) {
            try await connection.execute(ReusedStatement(bindings: bindings), logger: logger)
        }
    }
}

/// One run of a named statement; see `PostgresPreparedStatements`.
struct ReusedStatement: PostgresPreparedStatement {
    struct Text: Sendable {
        let name: String
        let sql: String
    }

    @TaskLocal static var current = Text(name: "", sql: "")

    static var name: String { current.name }
    static var sql: String { current.sql }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
