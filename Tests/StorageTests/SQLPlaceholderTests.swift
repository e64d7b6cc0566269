@testable import Storage
import Testing

@Suite("SQLite placeholder rewriting")
struct SQLPlaceholderTests {
    @Test func numberedPlaceholdersBecomeSQLiteNumberedParameters() {
        #expect(SQLiteExecutor.rewritePlaceholders("SELECT $1, $2 WHERE a = $10") == "SELECT ?1, ?2 WHERE a = ?10")
        #expect(SQLiteExecutor.rewritePlaceholders("SELECT 1") == "SELECT 1")
    }
}
