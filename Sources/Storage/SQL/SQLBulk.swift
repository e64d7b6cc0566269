import Synchronization

/// Statements over many values, each kept under both backends' bind limits (SQLite's
/// 32766, PostgreSQL's 65535) by splitting into runs.
enum SQLBulk {
    /// The binds a bulk statement carries at most, unless its caller says otherwise.
    static let maxBinds = 1000

    /// `$start, $start+1, …`: `count` numbered placeholders.
    static func placeholders(_ count: Int, from start: Int = 1) -> String {
        (start..<(start + count)).map { "$\($0)" }.joined(separator: ", ")
    }

    /// `($1, $2), ($3, $4), …`: `rows` tuples of `columns` placeholders, numbered from 1.
    /// Every flush builds the same few shapes, so each shape within the bind limit is built
    /// once per process and kept (a few hundred shapes at most: rows × columns ≤ `maxBinds`).
    static func rows(_ rows: Int, columns: Int) -> String {
        let shape = Shape(rows: rows, columns: columns)
        if let text = shapes.withLock({ $0[shape] }) { return text }
        var text = ""
        for row in 0..<rows {
            text += row == 0 ? "(" : ", ("
            text += placeholders(columns, from: row * columns + 1)
            text += ")"
        }
        if rows * columns <= maxBinds { shapes.withLock { $0[shape] = text } }
        return text
    }

    private struct Shape: Hashable {
        let rows: Int
        let columns: Int
    }

    private static let shapes = Mutex<[Shape: String]>([:])

    /// `items` in consecutive runs of at most `size`.
    static func runs<T>(_ items: [T], of size: Int) -> [ArraySlice<T>] {
        precondition(size > 0)
        return stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
    }
}

extension SQLExecutor {
    /// Inserts `rows`, each given by `values` as `columnCount` values in the order of
    /// `columns`: through the backend's `insert(into:columns:columnCount:values:rowsPerStatement:)`,
    /// where SQLite writes multi-row INSERTs of at most `rowsPerStatement` rows (by default
    /// as many as `SQLBulk.maxBinds` allows) and PostgreSQL one statement of arrays.
    func insertRows<Row>(
        into table: String, columns: String, columnCount: Int, _ rows: [Row], rowsPerStatement: Int? = nil,
        values: (Row) throws -> [SQLValue]
    ) async throws {
        guard !rows.isEmpty else { return }
        let rowsPerStatement = rowsPerStatement ?? SQLBulk.maxBinds / columnCount
        precondition(columnCount > 0 && rowsPerStatement > 0)
        var flat: [SQLValue] = []
        flat.reserveCapacity(rows.count * columnCount)
        for row in rows {
            let rowValues = try values(row)
            precondition(rowValues.count == columnCount, "a row of \(table) has \(rowValues.count) values for \(columnCount) columns")
            flat += rowValues
        }
        try await insert(into: table, columns: columns, columnCount: columnCount, values: flat, rowsPerStatement: rowsPerStatement)
    }
}
