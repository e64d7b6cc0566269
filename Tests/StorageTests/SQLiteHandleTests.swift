import Foundation
@testable import Storage
import Testing

/// The SQLite connection the backend drives through SQLite's C API: values round-trip
/// exactly, a reused (cached) statement answers for its new binds, the cache keeps the most
/// recently used statements, and a failed statement leaves it usable.
@Suite("SQLite connection handle")
struct SQLiteHandleTests {
    private static func withHandle(statementCapacity: Int = SQLiteHandle.cachedStatements, _ body: (SQLiteHandle) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strongroom-handle-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let handle = try SQLiteHandle.open(path: directory.appendingPathComponent("h.sqlite").path, statementCapacity: statementCapacity)
        defer { handle.close() }
        try body(handle)
    }

    @Test func everyValueKindRoundTripsExactly() throws {
        try Self.withHandle { handle in
            _ = try handle.query("CREATE TABLE t (k INTEGER PRIMARY KEY, v)", [])
            let values: [SQLValue] = [
                .null, .int(0), .int(Int64.max), .int(Int64.min), .text(""), .text("naïve 💶 text"), .text("nul\u{0}inside"),
                .bytes([]), .bytes([0, 255, 1, 0]),
            ]
            for (key, value) in values.enumerated() {
                _ = try handle.query("INSERT INTO t (k, v) VALUES ($1, $2)", [.int(Int64(key)), value])
            }
            for (key, value) in values.enumerated() {
                let row = try #require(try handle.query("SELECT v FROM t WHERE k = $1", [.int(Int64(key))]).first)
                #expect(try row.value("v") == value, "value \(key)")
            }
            _ = try handle.query("INSERT INTO t (k, v) VALUES ($1, $2)", [.int(100), .bool(true)])
            #expect(try handle.query("SELECT v FROM t WHERE k = 100", []).first?.bool("v") == true)
        }
    }

    @Test func aReusedStatementAnswersForItsNewBindsAndEveryRow() throws {
        try Self.withHandle { handle in
            _ = try handle.query("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)", [])
            for key in 1...5 { _ = try handle.query("INSERT INTO t (k, v) VALUES ($1, $2)", [.int(Int64(key)), .text("v\(key)")]) }
            let select = "SELECT k, v FROM t WHERE k >= $1 ORDER BY k"
            #expect(try handle.query(select, [.int(4)]).map { try $0.text("v") } == ["v4", "v5"])
            #expect(try handle.query(select, [.int(2)]).map { try $0.int("k") } == [2, 3, 4, 5])
            #expect(try handle.query(select, [.int(9)]).isEmpty)
        }
    }

    @Test func aUniqueViolationIsTheStoresErrorAndTheStatementStaysUsable() throws {
        try Self.withHandle { handle in
            _ = try handle.query("CREATE TABLE t (k INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)", [])
            let insert = "INSERT INTO t (k, name) VALUES ($1, $2)"
            _ = try handle.query(insert, [.int(1), .text("a")])
            #expect(throws: UniqueViolation.self) { try handle.query(insert, [.int(1), .text("b")]) }
            #expect(throws: UniqueViolation.self) { try handle.query(insert, [.int(2), .text("a")]) }
            _ = try handle.query(insert, [.int(2), .text("b")])
            #expect(try handle.query("SELECT count(*) AS n FROM t", []).first?.int("n") == 2)
        }
    }

    @Test func otherFailuresCarrySQLitesCodeAndMessage() throws {
        try Self.withHandle { handle in
            let error = #expect(throws: SQLiteFailure.self) { try handle.query("SELECT * FROM missing", []) }
            #expect(error?.message.contains("no such table") == true)
            _ = try handle.query("CREATE TABLE t (k INTEGER NOT NULL)", [])
            #expect(throws: SQLiteFailure.self) { try handle.query("INSERT INTO t (k) VALUES ($1)", [.null]) }
        }
    }

    @Test func statementsPastTheCacheBoundStillRun() throws {
        try Self.withHandle { handle in
            for number in 0..<(SQLiteHandle.cachedStatements + 10) {
                let row = try #require(try handle.query("SELECT \(number) AS n", []).first)
                #expect(try row.int("n") == Int64(number))
            }
            let row = try #require(try handle.query("SELECT 3 AS n", []).first)
            #expect(try row.int("n") == 3)
        }
    }

    /// A full cache finalizes the statement that ran longest ago and keeps the rest, so a
    /// flush's usual shapes stay prepared however many rare ones pass through.
    @Test func aFullCacheEvictsTheLeastRecentlyUsedStatement() throws {
        try Self.withHandle(statementCapacity: 3) { handle in
            func run(_ number: Int) throws {
                let row = try #require(try handle.query("SELECT \(number) AS n", []).first)
                #expect(try row.int("n") == Int64(number))
            }
            try run(1)
            try run(2)
            try run(3)
            #expect(handle.statementsPrepared == 3)
            try run(1)
            #expect(handle.statementsPrepared == 3, "a hit prepares nothing, and makes 1 the most recent")
            try run(4)
            #expect(handle.statementsPrepared == 4)
            try run(1)
            try run(3)
            try run(4)
            #expect(handle.statementsPrepared == 4, "only 2, the least recently used, made room for 4")
            try run(2)
            #expect(handle.statementsPrepared == 5)
        }
    }

    /// A statement past `SQLBulk.maxBinds` parameters runs, and is finalized instead of kept:
    /// it would hold several times a common statement's memory in the cache.
    @Test func aStatementOfManyParametersRunsAndIsNotKept() throws {
        try Self.withHandle { handle in
            let last = SQLBulk.maxBinds + 1
            let sql = "SELECT $1 AS first, $\(last) AS last"
            let binds = (1...last).map { SQLValue.int(Int64($0)) }
            for run in 1...2 {
                let row = try #require(try handle.query(sql, binds).first)
                #expect(try row.int("first") == 1 && row.int("last") == Int64(last))
                #expect(handle.statementsPrepared == run)
            }
            _ = try handle.query("SELECT $\(SQLBulk.maxBinds) AS n", Array(binds.prefix(SQLBulk.maxBinds)))
            _ = try handle.query("SELECT $\(SQLBulk.maxBinds) AS n", Array(binds.prefix(SQLBulk.maxBinds)))
            #expect(handle.statementsPrepared == 3, "a statement within the bound is kept")
        }
    }

    @Test func aClosedConnectionRefusesStatements() throws {
        try Self.withHandle { handle in
            _ = try handle.query("SELECT 1 AS n", [])
            handle.close()
            #expect(throws: SQLiteFailure.self) { try handle.query("SELECT 1 AS n", []) }
        }
    }
}
