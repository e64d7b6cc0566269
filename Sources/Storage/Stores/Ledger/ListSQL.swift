import Bookkeeping
import Foundation
import StrongroomKernel

/// Builds a list's WHERE clause and binds: scope, liveness, time range and metadata
/// filters, written once for both dialects (the metadata lookup differs).
struct ListSQL {
    let dialect: SQLDialect
    private(set) var conditions: [String] = []
    private(set) var binds: [SQLValue] = []

    init(dialect: SQLDialect) { self.dialect = dialect }

    /// Adds `condition` with `$?` standing for each of `values`, numbered in order.
    mutating func add(_ condition: String, _ values: SQLValue...) {
        var text = condition
        for value in values {
            binds.append(value)
            guard let range = text.range(of: "$?") else { break }
            text.replaceSubrange(range, with: "$\(binds.count)")
        }
        conditions.append(text)
    }

    mutating func scope(_ scope: EntityScope, prefix: String = "") {
        if let organization = scope.organizationID { add("\(prefix)organization_id = $?", .text(organization)) }
        if let ledger = scope.ledgerID { add("\(prefix)ledger_id = $?", .text(ledger)) }
        if let visible = scope.visibleOrganizations {
            // Only organizations are listed at the root, so the entity's own id is the one.
            let placeholders = visible.sorted().map { id -> String in
                binds.append(.text(id))
                return "$\(binds.count)"
            }
            conditions.append(placeholders.isEmpty ? "1 = 0" : "\(prefix)id IN (\(placeholders.joined(separator: ", ")))")
        }
    }

    mutating func filter(_ filter: ListFilter, prefix: String = "", metadataColumn: String? = "metadata") {
        if let from = filter.createdFrom { add("\(prefix)created_at >= $?", .time(from)) }
        if let before = filter.createdBefore { add("\(prefix)created_at < $?", .time(before)) }
        guard let metadataColumn else { return }
        for entry in filter.metadata {
            // Keys are checked at the edge to be plain (letters, digits, `_.-`), so quoting
            // one in a SQLite JSON path cannot break out of it; values are always bound.
            switch dialect {
            case .postgres:
                add("(\(prefix)\(metadataColumn)::jsonb ->> $?) = $?", .text(entry.key), .text(entry.value))
            case .sqlite:
                // Text values compare unquoted; numbers and booleans as their JSON text
                // (`->` keeps a number's literal digits, where a cast would round it).
                add(
                    """
                    (CASE json_type(\(prefix)\(metadataColumn), $?) WHEN 'text' THEN json_extract(\(prefix)\(metadataColumn), $?) \
                    ELSE (\(prefix)\(metadataColumn) -> $?) END) = $?
                    """,
                    .text("$.\"\(entry.key)\""), .text("$.\"\(entry.key)\""), .text("$.\"\(entry.key)\""), .text(entry.value)
                )
            }
        }
    }

    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    /// Reads one keyset page: `limit + 1` rows past the cursor, in the asked order.
    func page<Item>(
        select: String, idColumn: String, query: CursorQuery, executor: any SQLExecutor, decode: (SQLRow) throws -> Item,
        id: (Item) -> String
    ) async throws -> CursorPage<Item> {
        var sql = self
        let ascending = query.filter.sortOrder == .asc
        let backwards = query.cursor?.direction == .previous
        if let cursor = query.cursor {
            // Reading forwards in ascending order means ids after the cursor, and so on.
            sql.add("\(idColumn) \(ascending != backwards ? ">" : "<") $?", .text(cursor.id))
        }
        let order = ascending != backwards ? "ASC" : "DESC"
        let rows = try await executor.query(
            "\(select) \(sql.whereClause) ORDER BY \(idColumn) \(order) LIMIT \(query.limit + 1)", sql.binds
        )
        var items = try rows.prefix(query.limit).map(decode)
        let more = rows.count > query.limit
        if backwards { items.reverse() }
        guard let first = items.first, let last = items.last else { return CursorPage(items: [], next: nil, previous: nil) }
        let hasNext = backwards || more
        let hasPrevious = backwards ? more : query.cursor != nil
        return CursorPage(
            items: items,
            next: hasNext ? Cursor(direction: .next, id: id(last)) : nil,
            previous: hasPrevious ? Cursor(direction: .previous, id: id(first)) : nil
        )
    }
}
