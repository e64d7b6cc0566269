@testable import Storage
import Testing

/// A statement span is named by the statement's first keyword: low cardinality, as
/// OpenTelemetry's database conventions ask, whatever the statement's text.
@Suite("Statement tracing")
struct StatementTracingTests {
    @Test(arguments: [
        ("SELECT id FROM accounts WHERE id = $1", "SELECT"),
        ("\n    insert into balances (id) values ($1)", "INSERT"),
        ("BEGIN IMMEDIATE", "BEGIN"),
        ("COMMIT", "COMMIT"),
        ("", "SQL"),
        ("  (SELECT 1)", "SQL"),
    ])
    func theSpanIsNamedByTheFirstKeyword(sql: String, name: String) {
        #expect(StatementTracing.operationName(sql) == name)
    }

    @Test func theSystemNamesAreOpenTelemetrysOwn() {
        #expect(SQLDialect.sqlite.systemName == "sqlite")
        #expect(SQLDialect.postgres.systemName == "postgresql")
    }
}
