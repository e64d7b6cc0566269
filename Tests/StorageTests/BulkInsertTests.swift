import Foundation
@testable import Storage
import StrongroomTestSupport
import Testing

/// The stores' bulk INSERT on each backend: SQLite's multi-row VALUES in runs under its
/// bind limit, PostgreSQL's one statement of column arrays through `unnest`. Every kind of
/// value, NULLs among them and a column that is NULL throughout, lands exactly as given.
@Suite("Bulk insert")
struct BulkInsertTests {
    private struct Probe: Equatable {
        let id: Int64
        let label: String?
        let flag: Bool?
        let data: [UInt8]?
        let amount: Int64

        var values: [SQLValue] {
            [.int(id), label.map(SQLValue.text) ?? .null, flag.map(SQLValue.bool) ?? .null, data.map(SQLValue.bytes) ?? .null, .null, .int(amount)]
        }
    }

    private static let labels = ["", "plain", "naïve 💶 text", #"quote " brace { } comma , backslash \ "#, "NULL", String(repeating: "x", count: 3_000)]
    private static let amounts: [Int64] = [0, 1, -1, .max, .min]

    /// More rows than one SQLite statement carries, so SQLite writes several.
    private static let probes: [Probe] = (1...2_500).map { n in
        Probe(
            id: Int64(n), label: n % 7 == 0 ? nil : labels[n % labels.count], flag: n % 5 == 0 ? nil : n % 2 == 0,
            data: n % 11 == 0 ? nil : (n % 3 == 0 ? [] : [UInt8(n % 256), 0, 255]), amount: amounts[n % amounts.count]
        )
    }

    private static func createProbeTable(_ executor: any SQLExecutor) async throws {
        let bytes = executor.dialect == .postgres ? "BYTEA" : "BLOB"
        try await executor.execute(
            "CREATE TEMPORARY TABLE bulk_probe (id BIGINT PRIMARY KEY, label TEXT, flag BOOLEAN, data \(bytes), note TEXT, amount BIGINT NOT NULL)"
        )
    }

    private static func insert(_ probes: [Probe], _ executor: any SQLExecutor) async throws {
        try await executor.insertRows(into: "bulk_probe", columns: "id, label, flag, data, note, amount", columnCount: 6, probes) { $0.values }
    }

    @Test(arguments: TestBackend.available)
    func everyKindOfValueLandsExactly(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let read = try await persistence.database.transaction { executor in
                try await Self.createProbeTable(executor)
                try await Self.insert(Self.probes, executor)
                return try await executor.query("SELECT id, label, flag, data, note, amount FROM bulk_probe ORDER BY id", []).map { row in
                    #expect(try row.isNull("note"))
                    return Probe(
                        id: try row.int("id"), label: try row.optionalText("label"),
                        flag: try row.isNull("flag") ? nil : try row.bool("flag"),
                        data: try row.isNull("data") ? nil : try row.bytes("data"), amount: try row.int("amount")
                    )
                }
            }
            #expect(read.count == Self.probes.count)
            #expect(read == Self.probes)
        }
    }

    /// A key already taken fails the whole statement as the stores' `UniqueViolation`, and
    /// no row of it lands.
    @Test(arguments: TestBackend.available)
    func aTakenKeyIsAUniqueViolation(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            struct Done: Error {}
            await #expect(throws: UniqueViolation.self) {
                try await persistence.database.transaction { executor in
                    try await Self.createProbeTable(executor)
                    try await Self.insert(Array(Self.probes.prefix(3)), executor)
                    try await Self.insert([Self.probes[5], Self.probes[1]], executor)
                }
            }
        }
    }

    /// A column whose values are of two kinds (which no store writes) has no array type on
    /// PostgreSQL; the insert falls back to VALUES rather than fail.
    @Test(arguments: TestBackend.available)
    func aColumnOfMixedKindsStillLands(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let labels = try await persistence.database.transaction { executor in
                try await Self.createProbeTable(executor)
                try await executor.insertRows(into: "bulk_probe", columns: "id, label, amount", columnCount: 3, [1, 2]) { n in
                    [.int(n), n == 1 ? .text("one") : .int(2), .int(0)]
                }
                return try await executor.query("SELECT label FROM bulk_probe ORDER BY id", []).map { try $0.text("label") }
            }
            #expect(labels == ["one", "2"])
        }
    }
}

/// A list bound as one array literal reaches PostgreSQL element for element, whatever the
/// elements hold: quotes, backslashes, commas, braces, the word NULL, white space, nothing.
@Suite("PostgreSQL array literal")
struct PostgresArrayLiteralTests {
    static let elements = ["plain", "", " padded ", #"quote " inside"#, #"back\slash"#, "comma,brace{}", "NULL", "naïve 💶", #"\""#]

    @Test func theLiteralQuotesEveryElement() {
        #expect(PostgresArrayLiteral.text(["a", #"b"c"#, #"d\e"#]) == #"{"a","b\"c","d\\e"}"#)
        #expect(PostgresArrayLiteral.text([String]()) == "{}")
    }

    @Test(arguments: TestBackend.available.filter { $0 == .postgres })
    func everyElementRoundTrips(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let rows = try await persistence.database.direct.query(
                "SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n) ORDER BY n", [.text(PostgresArrayLiteral.text(Self.elements))]
            )
            #expect(try rows.map { try $0.text("v") } == Self.elements)
        }
    }
}
