import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The load generator's HTTP client: one connection pool to the server under test, bounded
/// at the run's connection count, and the bearer token of the run's caller.
public final class BenchClient: Sendable {
    public struct Answer: Sendable {
        public let status: Int
        public let body: Data
        public var headers = HTTPHeaders()
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let base: String
    let http: HTTPClient
    let tokens: TokenSource
    /// The most a response body may be (a full batch answer of 8190 transactions is large).
    static let maxResponseBytes = 256 << 20

    init(base: String, connections: Int, credentials: Credentials) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        configuration.decompression = .disabled
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.tokens = TokenSource(credentials: credentials)
    }

    func shutdown() async {
        try? await http.shutdown()
    }

    /// Sends a request with the run's token; `path` starts with `/`.
    func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, headers: [(String, String)] = []) async throws -> Answer {
        let token = try await tokens.current(self)
        return try await raw(method, path, body: body, headers: headers + [("Authorization", "Bearer \(token)")])
    }

    /// Sends a request as given, with no token.
    func raw(_ method: HTTPMethod, _ path: String, body: Data? = nil, headers: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                request.headers.add(name: "Content-Type", value: "application/json")
            }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: Self.maxResponseBytes)
        return Answer(status: Int(response.status.code), body: Data(buffer.readableBytesView), headers: response.headers)
    }

    /// A JSON object from a 2xx answer, or a failure naming what went wrong.
    func object(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> [String: Any] {
        let answer = try await send(method, path, body: body.map { Data($0.utf8) })
        guard (200..<300).contains(answer.status),
            let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        else {
            throw Failure(description: "\(method) \(path) answered \(answer.status): \(String(decoding: answer.body.prefix(400), as: UTF8.self))")
        }
        return object
    }
}
