import Foundation
import StrongroomKernel

public enum SortOrder: String, Sendable {
    case asc, desc
}

/// What every list filters on: creation time, metadata values, and the order.
public struct ListFilter: Sendable, Equatable {
    /// Inclusive lower bound on `createdAt`.
    public var createdFrom: Timestamp?
    /// Exclusive upper bound on `createdAt`.
    public var createdBefore: Timestamp?
    /// `metadata.<key>=<value>` pairs, each an equality on the value rendered as text.
    public var metadata: [MetadataFilter]
    public var sortOrder: SortOrder

    public init(createdFrom: Timestamp? = nil, createdBefore: Timestamp? = nil, metadata: [MetadataFilter] = [], sortOrder: SortOrder = .asc) {
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
        self.metadata = metadata
        self.sortOrder = sortOrder
    }
}

public struct MetadataFilter: Sendable, Equatable {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Offset pagination, as Midaz's onboarding lists have it (`page`, `limit`).
public struct PageQuery: Sendable, Equatable {
    public static let maxLimit = 100
    public var limit: Int
    public var page: Int
    public var filter: ListFilter

    public init(limit: Int = 10, page: Int = 1, filter: ListFilter = ListFilter()) {
        self.limit = limit
        self.page = page
        self.filter = filter
    }

    public var offset: Int { (page - 1) * limit }
}

/// Keyset pagination, as Midaz's transaction-side lists have it (`cursor`, `limit`).
public struct CursorQuery: Sendable, Equatable {
    public var limit: Int
    public var cursor: Cursor?
    public var filter: ListFilter

    public init(limit: Int = 10, cursor: Cursor? = nil, filter: ListFilter = ListFilter()) {
        self.limit = limit
        self.cursor = cursor
        self.filter = filter
    }
}

/// A position in a keyset list: the id at the page's edge and which way to read from it.
/// Ids are UUIDv7, so id order is creation order. Opaque to clients (base64url).
public struct Cursor: Sendable, Equatable {
    public enum Direction: String, Sendable {
        case next = "n"
        case previous = "p"
    }

    public let direction: Direction
    public let id: String

    public init(direction: Direction, id: String) {
        self.direction = direction
        self.id = id
    }

    public var token: String {
        Data("\(direction.rawValue):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public init?(token: String) {
        guard token.utf8.count <= 64 else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let direction = Direction(rawValue: parts[0]), CanonicalID.isValid(parts[1]) else { return nil }
        self.init(direction: direction, id: parts[1])
    }
}

/// One page of a keyset list with the cursors to its neighbours (nil at either end).
public struct CursorPage<Item: Sendable>: Sendable {
    public let items: [Item]
    public let next: Cursor?
    public let previous: Cursor?

    public init(items: [Item], next: Cursor?, previous: Cursor?) {
        self.items = items
        self.next = next
        self.previous = previous
    }
}
