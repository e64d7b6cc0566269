import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import StrongroomKernel

/// RFC 9457 problem bodies. Every error answer outside the OAuth token endpoint is one,
/// with the stable `code`, Midaz's `message` and, for field errors, `fields`.
public enum Problem {
    public static let contentType = "application/problem+json"

    public static func status(for kind: StrongroomError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .gone: .gone
        case .payloadTooLarge: .contentTooLarge
        case .unprocessable: .unprocessableContent
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .internalFailure: .internalServerError
        }
    }

    public static func response(_ error: StrongroomError, requestID: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(
            status: status(for: error.kind), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body(error, requestID: requestID)))
        )
    }

    /// The problem document's bytes (stored as they are by idempotency, and replayed).
    public static func body(_ error: StrongroomError, requestID: String) -> Data {
        document(error, instance: "urn:strongroom:request:\(requestID)").encoded
    }

    /// The document of `error`; `instance` nil for a problem inside another answer (a
    /// refused item of a batch, whose request the answer's own headers name).
    public static func document(_ error: StrongroomError, instance: String?) -> Document {
        let status = status(for: error.kind)
        return Document(
            type: "urn:strongroom:problem:\(error.code.rawValue)", title: status.reasonPhrase, status: status.code, detail: error.detail,
            code: error.code.rawValue, message: error.detail, instance: instance,
            fields: error.fields.isEmpty ? nil : error.fields.map { Document.Field(field: $0.field, message: $0.message) }
        )
    }

    /// The document as RFC 9457 and API.md name its members; `fields` only for field errors.
    /// Encoded, not built as a dictionary for `JSONSerialization`: a flood of refused logins
    /// is answered with thousands of these a second, and bridging the dictionary cost
    /// several times the encoding.
    public struct Document: Encodable, SortedJSONWritable {
        struct Field: Encodable {
            let field: String
            let message: String
        }

        let type: String
        let title: String
        let status: Int
        let detail: String
        let code: String
        let message: String
        let instance: String?
        let fields: [Field]?

        var encoded: Data { (try? Problem.encoder.encode(self)) ?? Data("{}".utf8) }

        /// Inside a hand-written answer (a batch's refused item): the encoder's bytes, so the
        /// shape is written in one place only.
        public func write(to json: inout SortedJSONWriter) { json.json(encoded) }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The answer to a bug: no detail leaves the process (it is logged with the request id).
    public static let internalError = StrongroomError(
        .internalError, "An internal error occurred; it has been logged with this request's id."
    )
}

extension StrongroomError {
    /// A query parameter the route cannot take: 400 `SR-0007`, naming the parameter.
    public static func invalidQuery(_ parameter: String, _ message: String) -> StrongroomError {
        StrongroomError(
            .invalidQuery, "Query parameter '\(parameter)' \(message).", fields: [.init(field: parameter, message: message)]
        )
    }
}
