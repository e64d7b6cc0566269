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
        if let digits = longestNumberLiteral(in: data), digits > maxNumberDigits {
            throw StrongroomError(
                .invalidField, .badRequest,
                "A JSON number has \(digits) digits; numbers may have at most \(maxNumberDigits). Send longer values as strings."
            )
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw StrongroomError(.malformedJSON, .badRequest, "The request body is not valid JSON.")
        }
        guard let fields = object as? [String: Any] else {
            throw StrongroomError(.malformedJSON, .badRequest, "The request body must be a JSON object.")
        }
        if let unknown = T.shape.firstUnknownField(in: fields) {
            throw StrongroomError(
                .unknownField, .badRequest, "Unknown field: \(unknown).", fields: [.init(field: unknown, message: "unknown field")]
            )
        }
        do {
            return (try JSONDecoder().decode(T.self, from: data), fields.keys.sorted())
        } catch let error as DecodingError {
            let (field, message) = describe(error)
            throw StrongroomError(.invalidField, .badRequest, "Field '\(field)': \(message).", fields: [.init(field: field, message: message)])
        }
    }

    /// The whole body, or 413 when it is longer than `limit`.
    static func bytes(of request: Request, limit: Int) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: limit).readableBytesView)
        } catch {
            throw StrongroomError.payloadTooLarge(limit: limit)
        }
    }

    /// The most significant digits a JSON number may carry: more than a decoder keeps
    /// exactly (a `Decimal` holds 38), so a longer one would be silently rounded. Amounts are
    /// strings and never meet this bound.
    static let maxNumberDigits = 30

    /// The digit count of the longest number literal outside strings (mantissa digits,
    /// exponent aside), or nil when there is none. A scan of the raw bytes: decoders round
    /// long numbers before anything else can see them.
    static func longestNumberLiteral(in data: Data) -> Int? {
        var longest: Int?
        var inString = false
        var escaped = false
        var digits = 0
        var inNumber = false
        var inExponent = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                inNumber = true
                if !inExponent { digits += 1 }
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if inNumber { inExponent = true }
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"):
                if byte == UInt8(ascii: "-"), !inNumber { inNumber = true }
            default:
                if inNumber { longest = max(longest ?? 0, digits) }
                (inNumber, inExponent, digits) = (false, false, 0)
                if byte == UInt8(ascii: "\"") { inString = true }
            }
        }
        if inNumber { longest = max(longest ?? 0, digits) }
        return longest
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
protocol StrictDecodable: Decodable {
    static var shape: BodyShape { get }
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

    /// The dotted path of the first field the shape does not allow, if any.
    func firstUnknownField(in value: Any, path: String = "") -> String? {
        switch self {
        case .free:
            return nil
        case .array(let element):
            guard let items = value as? [Any] else { return nil }
            for (index, item) in items.enumerated() {
                if let unknown = element.firstUnknownField(in: item, path: "\(path)[\(index)]") { return unknown }
            }
            return nil
        case .object(let fields):
            guard let object = value as? [String: Any] else { return nil }
            for key in object.keys.sorted() {
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                guard let shape = fields[key] else { return String(keyPath.prefix(200)) }
                if let shape, let unknown = shape.firstUnknownField(in: object[key]!, path: keyPath) { return unknown }
            }
            return nil
        }
    }
}

extension StrongroomError {
    static func payloadTooLarge(limit: Int) -> StrongroomError {
        StrongroomError(.payloadTooLarge, .payloadTooLarge, "The request body is larger than \(limit) bytes.")
    }
}
