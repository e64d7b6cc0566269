import Foundation
import StrongroomKernel

/// One result row, read by column name. Typed accessors throw `StorageError.decoding` for a
/// missing column or an unexpected type: a schema drift is a bug, never silently a default.
public struct SQLRow: Sendable {
    let columns: [String: SQLValue]

    init(columns: [String: SQLValue]) { self.columns = columns }

    public func value(_ name: String) throws -> SQLValue {
        guard let value = columns[name] else { throw StorageError.decoding("no column \(name)") }
        return value
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
