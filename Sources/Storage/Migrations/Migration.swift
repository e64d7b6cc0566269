import Foundation
/// One forward-only schema step. Applied migrations are never edited: the migrator stores
/// each one's checksum and refuses to run against a database whose history differs.
public struct Migration: Sendable {
    /// Rights the service role gets on a table. The owner role creates everything; the
    /// service role gets only what it needs (the audit tables only INSERT and SELECT).
    public struct Grant: Sendable {
        public let table: String
        public let privileges: String

        public static func readWrite(_ table: String) -> Grant { Grant(table: table, privileges: "SELECT, INSERT, UPDATE, DELETE") }
        public static func readOnly(_ table: String) -> Grant { Grant(table: table, privileges: "SELECT") }
        public static func appendOnly(_ table: String) -> Grant { Grant(table: table, privileges: "SELECT, INSERT") }
        /// Rows are soft-deleted or annotated, never removed: the service role cannot DELETE.
        public static func noDelete(_ table: String) -> Grant { Grant(table: table, privileges: "SELECT, INSERT, UPDATE") }
        /// Rows are added and only the named columns ever change (annotations, a status
        /// move): PostgreSQL refuses an UPDATE that sets any other column.
        public static func appendOnly(_ table: String, updating columns: [String]) -> Grant {
            Grant(table: table, privileges: "SELECT, INSERT, UPDATE (\(columns.joined(separator: ", ")))")
        }
    }

    public let version: Int64
    public let name: String
    /// Portable DDL. `{BYTES}` stands for the binary type (BLOB / BYTEA).
    let statements: [String]
    /// What only one backend can say (triggers, functions), run after `statements`.
    let dialectStatements: [SQLDialect: [String]]
    let grants: [Grant]

    init(version: Int64, name: String, statements: [String], dialectStatements: [SQLDialect: [String]] = [:], grants: [Grant]) {
        self.version = version
        self.name = name
        self.statements = statements
        self.dialectStatements = dialectStatements
        self.grants = grants
    }

    func statements(for dialect: SQLDialect) -> [String] {
        statements.map { $0.replacingOccurrences(of: "{BYTES}", with: dialect == .sqlite ? "BLOB" : "BYTEA") }
            + (dialectStatements[dialect] ?? [])
    }

    /// FNV-1a over the statements: detects an edited migration; not a security control.
    var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var text = statements.joined(separator: "\u{0}")
        for dialect in dialectStatements.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            text += "\u{1}\(dialect.rawValue)\u{0}" + dialectStatements[dialect]!.joined(separator: "\u{0}")
        }
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
