import Foundation
import Hummingbird
import StrongroomKernel

/// The parameters of an OAuth request: `application/x-www-form-urlencoded` as RFC 6749
/// says, or a flat JSON object of strings as API.md also allows. A parameter sent twice is
/// refused (RFC 6749 §3.2); unknown ones are ignored (§3.2 again).
public enum FormBody {
    public static func parse(_ request: Request, limit: Int) async throws -> [String: String] {
        let data = try await BodyReader.bytes(of: request, limit: limit)
        if request.headers[.contentType]?.lowercased().contains("json") == true {
            return try json(data)
        }
        return try urlEncoded(data)
    }

    public static func json(_ data: Data) throws -> [String: String] {
        // A parameter given twice is refused here as in a form (JSONTextCheck names it).
        try JSONTextCheck.validate(data)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw StrongroomError(.malformedJSON, "The body must be a JSON object of strings.")
        }
        var parameters: [String: String] = [:]
        for (key, value) in object {
            guard let text = value as? String else {
                throw StrongroomError(.invalidField, "Parameter '\(key.prefix(64))' must be a string.")
            }
            parameters[key] = text
        }
        return parameters
    }

    public static func urlEncoded(_ data: Data) throws -> [String: String] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw StrongroomError(.malformedJSON, "The body is not UTF-8.")
        }
        var parameters: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw StrongroomError(.invalidField, "The form body has an invalid escape.")
            }
            guard parameters[key] == nil else {
                throw StrongroomError(.invalidField, "Parameter '\(key.prefix(64))' is given more than once.")
            }
            parameters[key] = value
        }
        return parameters
    }

    /// One form-encoded component: `+` is a space, then percent escapes.
    public static func decode(_ component: Substring) -> String? {
        component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

/// HTTP Basic credentials (RFC 7617), each part form-decoded as RFC 6749 §2.3.1 asks.
public enum BasicCredentials {
    public static func parse(_ header: String?) -> (id: String, secret: String)? {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic ", header.utf8.count <= 1024,
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8)
        else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let id = FormBody.decode(parts[0]), let secret = FormBody.decode(parts[1]) else { return nil }
        return (id, secret)
    }
}
