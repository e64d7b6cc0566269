import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Encodes response bodies. Keys are sorted so that equal values render as equal bytes
/// (idempotent replays compare and store them).
public enum JSONResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// For an answer that carries a secret or personal data: no cache, shared or private,
    /// may keep it (RFC 9111; `Pragma` for HTTP/1.0 caches).
    public static let noStore: HTTPFields = [.cacheControl: "no-store", .pragma: "no-cache"]

    public static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encode(value))))
    }

    public static func encode(_ value: some Encodable) throws -> Data { try encoder.encode(value) }
}
