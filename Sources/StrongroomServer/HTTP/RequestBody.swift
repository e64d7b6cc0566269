import Foundation
import Hummingbird
import NIOCore
import StrongroomKernel

/// Reads a JSON request body strictly: bounded in size, valid JSON whatever the
/// Content-Type says, the top level an object, no unknown fields, every field of the right
/// type. Each failure is a 400 (413 for size) problem that says which field.
struct RequestBody {
    static func decode<T: StrictDecodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try await decodeNamingFields(type, from: request, limit: limit).value
    }

    /// Decodes as `decode` does, and also answers the names of the top-level fields the body
    /// gave (all known ones: an unknown field is refused): what a change's audit record lists.
    static func decodeNamingFields<T: StrictDecodable>(
        _ type: T.Type, from request: Request, limit: Int
    ) async throws -> (value: T, fields: [String]) {
        let data = try await bytes(of: request, limit: limit)
        let scan = JSONTextCheck.scan(data, shape: T.shape, nullable: T.nullableFields)
        if let problem = scan.problem { throw problem }
        guard scan.isObject else { throw notAnObject(data) }
        switch scan.violation {
        case .unknown(let path):
            let field = String(path.prefix(200))
            throw StrongroomError(.unknownField, .badRequest, "Unknown field: \(field).", fields: [.init(field: field, message: "unknown field")])
        case .null(let path):
            let field = String(path.prefix(200))
            throw StrongroomError(
                .invalidField, .badRequest, "Field '\(field)' must not be null: leave it out instead.",
                fields: [.init(field: field, message: "must not be null")]
            )
        case nil:
            break
        }
        do {
            return (try JSONDecoder().decode(T.self, from: data), scan.topLevelNames.sorted())
        } catch let error as DecodingError {
            // The scan leaves the grammar to the decoder: text that is not JSON is told apart
            // here, on the failure path only.
            guard (try? JSONSerialization.jsonObject(with: data, options: [])) != nil else { throw notJSON }
            let (field, message) = describe(error)
            throw StrongroomError(.invalidField, .badRequest, "Field '\(field)': \(message).", fields: [.init(field: field, message: message)])
        }
    }

    private static let notJSON = StrongroomError(.malformedJSON, .badRequest, "The request body is not valid JSON.")

    /// The answer to a body that does not start as an object: JSON of another kind, or not JSON.
    private static func notAnObject(_ data: Data) -> StrongroomError {
        guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else { return notJSON }
        return StrongroomError(.malformedJSON, .badRequest, "The request body must be a JSON object.")
    }

    /// The whole body, or 413 when it is longer than `limit`, or 400 when it ends early (the
    /// client went away, or the body timeout closed the connection).
    static func bytes(of request: Request, limit: Int) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw StrongroomError.payloadTooLarge(limit: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw StrongroomError.payloadTooLarge(limit: limit)
        } catch {
            throw StrongroomError(.malformedJSON, .badRequest, "The request body ended before it was complete.")
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

/// A request body type that says which fields it accepts, at every depth, so unknown ones
/// are refused instead of silently ignored. Flat bodies get their shape from `CodingKeys`.
/// A field may be null only where the contract says so (`nullableFields`, top level):
/// elsewhere a null would silently read as "absent", so it is refused.
protocol StrictDecodable: Decodable {
    static var shape: BodyShape { get }
    static var nullableFields: Set<String> { get }
}

extension StrictDecodable {
    static var nullableFields: Set<String> { [] }
}

protocol FlatStrictDecodable: StrictDecodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
}

extension FlatStrictDecodable {
    static var shape: BodyShape { .object(CodingKeys.self) }
}

/// The fields a JSON body may carry, nested objects and arrays included.
indirect enum BodyShape: Sendable {
    /// An object with exactly these keys; a key mapping to nil holds a scalar.
    case object([String: BodyShape?])
    case array(BodyShape)
    /// Anything the type's decoder checks itself (metadata).
    case free

    static func object<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, nested: [String: BodyShape] = [:]) -> BodyShape {
        var fields: [String: BodyShape?] = [:]
        for key in Keys.allCases { fields[key.stringValue] = .some(nested[key.stringValue]) }
        return .object(fields)
    }

    /// A field a body may not carry, by dotted path (`a.b`, `a[3].b`): one the shape does not
    /// know, or a null where the contract allows none (a decoder would read it as "absent").
    /// `JSONTextCheck` finds them.
    enum Violation: Equatable {
        case unknown(String)
        case null(String)
    }
}

extension StrongroomError {
    static func payloadTooLarge(limit: Int) -> StrongroomError {
        StrongroomError(.payloadTooLarge, .payloadTooLarge, "The request body is larger than \(limit) bytes.")
    }
}
