import Foundation
import Hummingbird
import NIOCore
import StrongroomKernel

/// Reads a JSON request body strictly: bounded in size, valid JSON whatever the
/// Content-Type says, the top level an object, no unknown fields, every field of the right
/// type. Each failure is a 400 (413 for size) problem that says which field.
public enum BodyReader {
    public static func decode<T: StrictDecodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try await decodeNamingFields(type, from: request, limit: limit).value
    }

    /// Decodes as `decode` does, and also answers the names of the top-level fields the body
    /// gave a value (all known ones: an unknown field is refused; a null is no value): what a
    /// change's audit record lists.
    public static func decodeNamingFields<T: StrictDecodable>(
        _ type: T.Type, from request: Request, limit: Int
    ) async throws -> (value: T, fields: [String]) {
        try decodeNamingFields(type, from: try await bytes(of: request, limit: limit))
    }

    /// Decodes body bytes already read (`bytes(of:limit:)`) as `decode` does.
    public static func decode<T: StrictDecodable>(_ type: T.Type, from data: Data) throws -> T {
        try decodeNamingFields(type, from: data).value
    }

    private static func decodeNamingFields<T: StrictDecodable>(_ type: T.Type, from data: Data) throws -> (value: T, fields: [String]) {
        let scan = JSONTextCheck.scan(data, shape: T.shape)
        if let problem = scan.problem { throw problem }
        guard scan.isObject else { throw notAnObject(data) }
        switch scan.violation {
        case .unknown(let path):
            let field = String(path.prefix(200))
            throw StrongroomError(.unknownField, "Unknown field: \(field).", fields: [.init(field: field, message: "unknown field")])
        case .unsupported(let path):
            let field = String(path.prefix(200))
            throw StrongroomError(
                .unknownField, "Field '\(field)' is not supported: leave it out or send null.",
                fields: [.init(field: field, message: "not supported")]
            )
        case .null(let path):
            let field = String(path.prefix(200))
            throw StrongroomError(
                .invalidField, "Field '\(field)' is required and must not be null.",
                fields: [.init(field: field, message: "is required")]
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
            throw StrongroomError(.invalidField, "Field '\(field)': \(message).", fields: [.init(field: field, message: message)])
        }
    }

    private static let notJSON = StrongroomError(.malformedJSON, "The request body is not valid JSON.")

    /// The answer to a body that does not start as an object: JSON of another kind, or not JSON.
    private static func notAnObject(_ data: Data) -> StrongroomError {
        guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else { return notJSON }
        return StrongroomError(.malformedJSON, "The request body must be a JSON object.")
    }

    /// The whole body, or 413 when it is longer than `limit`, or 400 when it ends early (the
    /// client went away, or the body timeout closed the connection).
    public static func bytes(of request: Request, limit: Int) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw StrongroomError.payloadTooLarge(limit: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw StrongroomError.payloadTooLarge(limit: limit)
        } catch {
            throw StrongroomError(.malformedJSON, "The request body ended before it was complete.")
        }
    }

    private static func describe(_ error: DecodingError) -> (String, String) {
        // Named as `JSONTextCheck` names a field: `send.source.from[0].amount`.
        func path(_ context: DecodingError.Context, _ extra: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (extra.map { [$0] } ?? [])
            guard !keys.isEmpty else { return "(body)" }
            var path = ""
            for key in keys {
                if let index = key.intValue {
                    path += "[\(index)]"
                } else {
                    path += path.isEmpty ? key.stringValue : "." + key.stringValue
                }
            }
            return path
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
///
/// `null` for an optional field is the field left out (API.md: Midaz's own clients send
/// `"parentOrganizationId": null` and the like): on a create it is not set, on a PATCH it is
/// unchanged, which is what a synthesized decoder's `decodeIfPresent` reads it as. `null`
/// for a field the shape marks required is a 400 naming it. A type whose decoder gives null
/// a meaning of its own says so in its documentation (a group's `scope`).
public protocol StrictDecodable: Decodable {
    static var shape: BodyShape { get }
}

public protocol FlatStrictDecodable: StrictDecodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
}

extension FlatStrictDecodable {
    public static var shape: BodyShape { .object(CodingKeys.self) }
}

/// The fields a JSON body may carry, nested objects and arrays included, and which of them
/// are required: declared once, here, so the one pass of `JSONTextCheck` tells a null that
/// means "absent" from a null that is refused.
public indirect enum BodyShape: Sendable {
    /// An object with exactly these keys; a key mapping to nil holds a scalar. The keys in
    /// `required` may not be null; any other may, and is then absent.
    case object([String: BodyShape?], required: Set<String>)
    case array(BodyShape)
    /// Anything the type's decoder checks itself (metadata).
    case free
    /// A field Midaz defines that Strongroom does not implement (a leg's `rate`, Midaz's
    /// `route`): null is accepted, as absence is; a value is refused rather than ignored.
    case unsupported

    /// An object whose keys are all optional.
    public static func object(_ fields: [String: BodyShape?]) -> BodyShape { .object(fields, required: []) }

    public static func object<Keys: CodingKey & CaseIterable>(
        _ keys: Keys.Type, required: [Keys] = [], nested: [String: BodyShape] = [:]
    ) -> BodyShape {
        var fields: [String: BodyShape?] = [:]
        for key in Keys.allCases { fields[key.stringValue] = .some(nested[key.stringValue]) }
        return .object(fields, required: Set(required.map(\.stringValue)))
    }

    /// The same object with more keys: Midaz fields Strongroom does not implement, say.
    public func adding(_ more: [String: BodyShape?]) -> BodyShape {
        guard case .object(let fields, let required) = self else { return self }
        return .object(fields.merging(more) { old, _ in old }, required: required)
    }

    /// A field a body may not carry, by dotted path (`a.b`, `a[3].b`): one the shape does not
    /// know, one it knows only as null, or a null for a required field. `JSONTextCheck` finds
    /// them.
    public enum Violation: Equatable {
        case unknown(String)
        case unsupported(String)
        case null(String)
    }
}

extension StrongroomError {
    public static func payloadTooLarge(limit: Int) -> StrongroomError {
        StrongroomError(.payloadTooLarge, "The request body is larger than \(limit) bytes.")
    }
}
