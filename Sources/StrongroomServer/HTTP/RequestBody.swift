import Foundation
import Hummingbird
import NIOCore
import StrongroomKernel

/// Reads a JSON request body strictly: bounded in size, valid JSON whatever the
/// Content-Type says, the top level an object, no unknown fields, every field of the right
/// type. Each failure is a 400 (413 for size) problem that says which field.
struct RequestBody {
    static func decode<T: StrictDecodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw StrongroomError.payloadTooLarge(limit: limit)
        }
        let data = Data(buffer.readableBytesView)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw StrongroomError(.malformedJSON, .badRequest, "The request body is not valid JSON.")
        }
        guard let fields = object as? [String: Any] else {
            throw StrongroomError(.malformedJSON, .badRequest, "The request body must be a JSON object.")
        }
        let unknown = Set(fields.keys).subtracting(T.fieldNames).sorted()
        guard unknown.isEmpty else {
            throw StrongroomError(
                .unknownField, .badRequest, "Unknown field(s): \(unknown.prefix(10).joined(separator: ", ")).",
                fields: unknown.prefix(10).map { .init(field: $0, message: "unknown field") }
            )
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            let (field, message) = describe(error)
            throw StrongroomError(.invalidField, .badRequest, "Field '\(field)': \(message).", fields: [.init(field: field, message: message)])
        }
    }

    private static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ context: DecodingError.Context, _ extra: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (extra.map { [$0] } ?? [])
            return keys.isEmpty ? "(body)" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return (path(context, key), "is required")
        case .typeMismatch(let type, let context): return (path(context), "must be \(typeName(type))")
        case .valueNotFound(let type, let context): return (path(context), "must be \(typeName(type)), not null")
        case .dataCorrupted(let context): return (path(context), "has an invalid value")
        @unknown default: return ("(body)", "is invalid")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type: "an integer"
        default: "of another type"
        }
    }
}

/// A request body type whose `CodingKeys` list every field it accepts, so unknown ones are
/// refused instead of silently ignored.
protocol StrictDecodable: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
}

extension StrictDecodable {
    static var fieldNames: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) }
}

extension StrongroomError {
    static func payloadTooLarge(limit: Int) -> StrongroomError {
        StrongroomError(.payloadTooLarge, .payloadTooLarge, "The request body is larger than \(limit) bytes.")
    }
}
