import Foundation
import StrongroomKernel

/// The column names of one result, shared by all its rows: a row is its values by position,
/// so a result of many rows builds one name table, not one dictionary a row.
final class SQLColumns: Sendable {
    private let positions: [String: Int]

    /// Where a name appears twice, the later column is the one read, as a dictionary built
    /// column by column would keep it.
    init(_ names: some Sequence<String>) {
        var positions: [String: Int] = [:]
        for (position, name) in names.enumerated() { positions[name] = position }
        self.positions = positions
    }

    func position(of name: String) -> Int? { positions[name] }
}

/// One result row, read by column name. Typed accessors throw `StorageError.decoding` for a
/// missing column or an unexpected type: a schema drift is a bug, never silently a default.
public struct SQLRow: Sendable {
    private let columns: SQLColumns
    private let values: [SQLValue]

    /// `values` in the order of the names `columns` was made from.
    init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public func value(_ name: String) throws -> SQLValue {
        guard let position = columns.position(of: name) else { throw StorageError.decoding("no column \(name)") }
        return values[position]
    }

    public func isNull(_ name: String) throws -> Bool { try value(name) == .null }

    public func int(_ name: String) throws -> Int64 {
        guard case .int(let v) = try value(name) else { throw StorageError.decoding("column \(name) is not an integer") }
        return v
    }

    public func text(_ name: String) throws -> String {
        guard case .text(let v) = try value(name) else { throw StorageError.decoding("column \(name) is not text") }
        return v
    }

    public func optionalText(_ name: String) throws -> String? {
        try isNull(name) ? nil : text(name)
    }

    public func bytes(_ name: String) throws -> [UInt8] {
        guard case .bytes(let v) = try value(name) else { throw StorageError.decoding("column \(name) is not bytes") }
        return v
    }

    /// SQLite has no boolean type and answers 0 or 1.
    public func bool(_ name: String) throws -> Bool {
        switch try value(name) {
        case .bool(let v): return v
        case .int(let v) where v == 0 || v == 1: return v == 1
        default: throw StorageError.decoding("column \(name) is not a boolean")
        }
    }

    public func uuid(_ name: String) throws -> UUID {
        guard let id = UUID(uuidString: try text(name)) else { throw StorageError.decoding("column \(name) is not a UUID") }
        return id
    }

    public func timestamp(_ name: String) throws -> Timestamp {
        Timestamp(microsecondsSinceEpoch: try int(name))
    }
}
