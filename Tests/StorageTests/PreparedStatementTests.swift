@testable import Storage
import StrongroomTestSupport
import Testing

/// The flush's statements on PostgreSQL are prepared once per connection and run by name
/// (`SQLExecutor.queryReused`, `PostgresPreparedStatements`): they answer what an unnamed
/// statement answers, PostgreSQL holds them prepared on the connection, and a statement that
/// cannot be prepared safely (a NULL among its binds, no parameters) or one past the bound
/// on names runs unnamed.
@Suite("Prepared statements")
struct PreparedStatementTests {
    private static let probe = "SELECT $1 AS label, $2 + 1 AS next, $3 AS flag, length($4) AS size"

    /// The probe's columns as read: what both ways of running it must agree on.
    private static func read(_ rows: [SQLRow]) throws -> [String] {
        try rows.map { "\(try $0.text("label"))|\(try $0.int("next"))|\(try $0.bool("flag"))|\(try $0.int("size"))" }
    }

    private static func prepared(_ sql: String, _ executor: any SQLExecutor) async throws -> Int64 {
        try await executor.queryOne("SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1", [.text(sql)])?.int("n") ?? 0
    }

    @Test(arguments: TestBackend.available)
    func aReusedStatementAnswersWhatAnUnnamedOneAnswers(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            try await persistence.database.transaction { executor in
                for label in ["", "plain", #"quote " brace { } comma , backslash \ "#, "naïve 💶"] {
                    let binds: [SQLValue] = [.text(label), .int(41), .bool(true), .bytes([0, 1, 255])]
                    let unnamed = try Self.read(try await executor.query(Self.probe, binds))
                    // Twice: the first run prepares it, the second runs it by name.
                    #expect(try Self.read(try await executor.queryReused(Self.probe, binds)) == unnamed)
                    #expect(try Self.read(try await executor.queryReused(Self.probe, binds)) == unnamed)
                    #expect(unnamed == ["\(label)|42|true|3"])
                }
            }
        }
    }

    @Test func postgresKeepsTheStatementPreparedOnTheConnection() async throws {
        guard TestBackend.available.contains(.postgres) else { return }
        try await TestDatabase.with(.postgres) { persistence, _ in
            try await persistence.database.transaction { executor in
                let sql = "SELECT $1::text || '-prepared' AS label"
                #expect(try await Self.prepared(sql, executor) == 0)
                _ = try await executor.queryReused(sql, [.text("a")])
                #expect(try await Self.prepared(sql, executor) == 1)
                #expect(try await executor.queryReused(sql, [.text("b")]).first?.text("label") == "b-prepared")
                #expect(try await Self.prepared(sql, executor) == 1)
                // A NULL is bound without a type, which the prepared statement would keep.
                let withNull = "SELECT $1::text IS NULL AS missing"
                #expect(try await executor.queryReused(withNull, [.null]).first?.bool("missing") == true)
                #expect(try await Self.prepared(withNull, executor) == 0)
                // Nor one without parameters, whose first plan PostgreSQL would keep.
                let constant = "SELECT 'constant' AS label"
                #expect(try await executor.queryReused(constant, []).first?.text("label") == "constant")
                #expect(try await Self.prepared(constant, executor) == 0)
            }
        }
    }

    @Test func namesAreBoundedAndStable() {
        let statements = PostgresPreparedStatements()
        let first = statements.name(of: "SELECT 1")
        #expect(first == "sr_1")
        #expect(statements.name(of: "SELECT 1") == first)
        for n in 2...PostgresPreparedStatements.maxStatements {
            #expect(statements.name(of: "SELECT \(n)") == "sr_\(n)")
        }
        #expect(statements.name(of: "SELECT 0") == nil)
        #expect(statements.name(of: "SELECT 2") == "sr_2")
    }
}
