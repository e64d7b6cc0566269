import Tracing

/// Each statement a traced request or flush runs, as a span of its own: the statement's text
/// with its placeholders (`$1`, `$2`, …), never a bound value, and the database's system name,
/// as OpenTelemetry's database conventions name them (`db.query.text`, `db.system.name`).
///
/// Only inside a trace: a statement that runs outside any span (a sweeper's, a migration's)
/// starts no trace of its own. A failed statement's span says what kind of error it was
/// (`error.type`), never its message, which may quote a value (a unique violation's key).
enum StatementTracing {
    /// The process's tracer, read once (as `Traced` in the edge reads it): a statement span is
    /// made only inside a recorded request or flush, after `serve` installed the tracer.
    static let tracer = InstrumentationSystem.tracer

    static func run<T>(_ sql: String, dialect: SQLDialect, _ body: () async throws -> T) async rethrows -> T {
        guard let parent = InstrumentationContext.current else { return try await body() }
        let span = tracer.startSpan(operationName(sql), context: parent, ofKind: .client)
        defer { span.end() }
        span.attributes["db.system.name"] = dialect.systemName
        span.attributes["db.query.text"] = sql
        do {
            return try await InstrumentationContext.$current.withValue(span.context) { try await body() }
        } catch {
            span.attributes["error.type"] = String(reflecting: type(of: error))
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    /// The statement's first keyword (`SELECT`, `INSERT`, `COMMIT`), upper-cased: a span name
    /// of low cardinality, as the conventions ask.
    static func operationName(_ sql: String) -> String {
        let keyword = sql.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }.prefix { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        }
        return keyword.isEmpty ? "SQL" : String(decoding: keyword, as: UTF8.self).uppercased()
    }
}

extension SQLDialect {
    /// OpenTelemetry's `db.system.name` for the backend.
    var systemName: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }
}
