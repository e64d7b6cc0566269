@testable import Storage
import Testing

@Suite("SQLite placeholder rewriting")
struct SQLPlaceholderTests {
    @Test func numberedPlaceholdersBecomeSQLiteNumberedParameters() {
        #expect(SQLiteExecutor.rewritePlaceholders("SELECT $1, $2 WHERE a = $10") == "SELECT ?1, ?2 WHERE a = ?10")
        #expect(SQLiteExecutor.rewritePlaceholders("SELECT 1") == "SELECT 1")
        #expect(SQLiteExecutor.rewritePlaceholders("VALUES ($1,$2), ($3, $4)") == "VALUES (?1,?2), (?3, ?4)")
    }

    @Test func aDollarInsideAWordStays() {
        #expect(SQLiteExecutor.rewritePlaceholders("SELECT a$1, _$2, 9$3 FROM t") == "SELECT a$1, _$2, 9$3 FROM t")
        #expect(SQLiteExecutor.rewritePlaceholders("SELECT é$1, ($2)") == "SELECT é$1, (?2)")
    }

    @Test func bulkRowsAreNumberedInRowOrderAndTheSameEveryTime() {
        #expect(SQLBulk.rows(2, columns: 3) == "($1, $2, $3), ($4, $5, $6)")
        #expect(SQLBulk.rows(1, columns: 1) == "($1)")
        #expect(SQLBulk.rows(2, columns: 3) == "($1, $2, $3), ($4, $5, $6)", "a kept shape reads the same")
        #expect(SQLBulk.rows(600, columns: 2).hasSuffix("($1199, $1200)"), "a shape over the bind limit is built, not kept")
    }
}
