import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import StrongroomEdge
import StrongroomKernel

/// Reading ledger requests: path ids, list queries; and writing list answers.
enum LedgerHTTP {
    /// A path id as stored (lowercase UUID). Anything else names nothing: 404.
    static func id(_ context: AppRequestContext, _ name: String, _ what: String) throws -> String {
        guard let raw = context.parameters.get(name), let id = FieldRules.normalizedID(raw) else { throw StrongroomError.notFound(what) }
        return id
    }

    static func ledger(_ context: AppRequestContext) throws -> LedgerRef {
        LedgerRef(
            organizationID: try id(context, "organization_id", "The organization"), ledgerID: try id(context, "ledger_id", "The ledger")
        )
    }

    /// A path segment that is not an id (an alias, an asset code), bounded.
    static func text(_ context: AppRequestContext, _ name: String, _ what: String) throws -> String {
        guard let value = context.parameters.get(name)?.removingPercentEncoding, (1...256).contains(value.utf8.count) else {
            throw StrongroomError.notFound(what)
        }
        return value
    }

    // MARK: Queries

    static func filter(_ request: Request, allowMetadata: Bool = true) throws -> (ListFilter, limit: Int) {
        let query = request.uri.queryParameters
        var limit = 10
        if let text = query["limit"] {
            guard let value = Int(text), (1...PageQuery.maxLimit).contains(value) else {
                throw StrongroomError.invalidQuery("limit", "must be a whole number from 1 to \(PageQuery.maxLimit)")
            }
            limit = value
        }
        var filter = ListFilter()
        if let text = query["sort_order"] {
            guard let order = SortOrder(rawValue: String(text).lowercased()) else {
                throw StrongroomError.invalidQuery("sort_order", "must be asc or desc")
            }
            filter.sortOrder = order
        }
        let start = query["start_date"].map(String.init)
        let end = query["end_date"].map(String.init)
        if start != nil || end != nil {
            guard let start, let end else {
                throw StrongroomError.invalidQuery(start == nil ? "start_date" : "end_date", "must be given with the other date")
            }
            guard let from = day(start) else { throw StrongroomError.invalidQuery("start_date", "must be a date, YYYY-MM-DD") }
            guard let to = day(end) else { throw StrongroomError.invalidQuery("end_date", "must be a date, YYYY-MM-DD") }
            guard from <= to else { throw StrongroomError.invalidQuery("start_date", "must not be after end_date") }
            filter.createdFrom = from
            filter.createdBefore = to.adding(seconds: 86_400)
        }
        for (key, value) in query where key.hasPrefix("metadata.") {
            guard allowMetadata else { throw StrongroomError.invalidQuery(String(key), "is not supported on this list") }
            let name = String(key.dropFirst("metadata.".count))
            guard (1...Metadata.maxKeyLength).contains(name.utf8.count),
                name.utf8.allSatisfy({ $0.isPlainKeyByte })
            else {
                throw StrongroomError.invalidQuery(String(key.prefix(120)), "must name a metadata key of letters, digits, '_', '.' or '-'")
            }
            guard value.utf8.count <= Metadata.maxValueLength else { throw StrongroomError.invalidQuery(String(key), "is too long") }
            filter.metadata.append(MetadataFilter(key: name, value: String(value)))
        }
        guard filter.metadata.count <= 10 else { throw StrongroomError.invalidQuery("metadata", "at most 10 metadata filters") }
        return (filter, limit)
    }

    static func pageQuery(_ request: Request) throws -> PageQuery {
        let (filter, limit) = try filter(request)
        var page = 1
        if let text = request.uri.queryParameters["page"] {
            guard let value = Int(text), (1...100_000).contains(value) else {
                throw StrongroomError.invalidQuery("page", "must be a whole number from 1 to 100000")
            }
            page = value
        }
        return PageQuery(limit: limit, page: page, filter: filter)
    }

    static func cursorQuery(_ request: Request, allowMetadata: Bool = true) throws -> CursorQuery {
        let (filter, limit) = try filter(request, allowMetadata: allowMetadata)
        var cursor: Cursor?
        if let text = request.uri.queryParameters["cursor"] {
            guard let value = Cursor(token: String(text)) else {
                throw StrongroomError.invalidQuery("cursor", "is not a cursor this server issued")
            }
            cursor = value
        }
        return CursorQuery(limit: limit, cursor: cursor, filter: filter)
    }

    /// `YYYY-MM-DD` as the UTC midnight starting that day.
    private static func day(_ text: String) -> Timestamp? {
        guard text.utf8.count == 10 else { return nil }
        return RFC3339.parse(text + "T00:00:00Z")
    }

    // MARK: Answers

    struct PageAnswer<Item: Encodable>: Encodable {
        let items: [Item]
        let page: Int
        let limit: Int
    }

    /// A keyset page: `{"items":[…],"limit":n,"next_cursor":"…","prev_cursor":"…"}`, a
    /// cursor left out at its end of the list. Written by `SortedJSONWriter`, so that a page
    /// of transactions or operations holds the bytes their one rendering writes.
    struct CursorAnswer<Item: SortedJSONWritable & Sendable>: SortedJSONWritable {
        let items: [Item]
        let limit: Int
        let nextCursor: String?
        let prevCursor: String?

        init(_ page: CursorPage<Item>, limit: Int) {
            self.items = page.items
            self.limit = limit
            self.nextCursor = page.next?.token
            self.prevCursor = page.previous?.token
        }

        func write(to json: inout SortedJSONWriter) {
            json.beginObject()
            json.member("items", items)
            json.key("limit")
            json.json(String(limit).utf8)  // an Int's decimal text is its JSON
            json.member("next_cursor", ifPresent: nextCursor)
            json.member("prev_cursor", ifPresent: prevCursor)
            json.endObject()
        }
    }

    /// An item with no hand-written rendering (a balance) in a page: its JSON text as
    /// `JSONResponse` encodes it, with the same options the writer follows.
    struct EncodedItem: SortedJSONWritable, Sendable {
        let text: Data

        func write(to json: inout SortedJSONWriter) { json.json(text) }
    }

    static func count(_ value: Int) -> Response {
        var headers: HTTPFields = [:]
        headers[.xTotalCount] = String(value)
        return Response(status: .noContent, headers: headers)
    }

    static func created(_ value: some Encodable) throws -> StoredResponse {
        StoredResponse(status: .created, body: try JSONResponse.encode(value))
    }

    /// A posted transaction's 201, in its one rendering (SortedJSON+Entities.swift), which is
    /// also what its reads answer; cheap enough for the group commit's serial section.
    static func created(_ transaction: Transaction) -> StoredResponse {
        StoredResponse(status: .created, body: Data(SortedJSONWriter.write(transaction, capacity: 2048)))
    }
}

extension UInt8 {
    /// Letters, digits, `_`, `.`, `-`: what a metadata filter key may hold.
    var isPlainKeyByte: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || self == UInt8(ascii: "_") || self == UInt8(ascii: ".")
            || self == UInt8(ascii: "-")
    }
}

extension LedgerHTTP.CursorAnswer where Item == LedgerHTTP.EncodedItem {
    /// A page of items that render through `JSONEncoder` (balances).
    init(_ page: CursorPage<some Encodable & Sendable>, limit: Int) throws {
        self.items = try page.items.map { LedgerHTTP.EncodedItem(text: try JSONResponse.encode($0)) }
        self.limit = limit
        self.nextCursor = page.next?.token
        self.prevCursor = page.previous?.token
    }
}
