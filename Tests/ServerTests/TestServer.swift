import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Synchronization
import Testing

@testable import StrongroomServer

/// A real server (router, guard, stores, bootstrap) over a fresh database of one backend,
/// driven in-process through Hummingbird's router test client.
struct TestServer {
    static let adminPassword = "a fresh strong passphrase"

    static func configuration(for database: TestDatabase, adminPassword: String?) -> ServerConfiguration {
        var configuration = ServerConfiguration(
            environment: .development, host: "127.0.0.1", port: 0, dataDirectory: database.directory + "/data",
            databaseURL: database.serviceURL, databaseOwnerURL: database.ownerURL, databaseMaxConnections: 8,
            tlsCertificatePath: nil, tlsKeyPath: nil, tlsTerminatedUpstream: false, masterKey: nil,
            bootstrapAdminPassword: adminPassword.map(SecretValue.init), tokenIssuer: "strongroom",
            tokenAudience: "strongroom-api", accessTokenLifetimeSeconds: 600, passwordHashCost: 4, maxBodyBytes: 1 << 20,
            maxConnections: 100, idleTimeoutSeconds: 60, headerTimeoutSeconds: 10, bodyTimeoutSeconds: 30, logLevel: "warning",
            auditCheckpointDirectory: database.directory + "/checkpoints", auditCheckpointIntervalSeconds: 60, auditCheckpointKey: nil,
            auditOrigin: "test.example/audit"
        )
        configuration.databaseLeaseTimeout = TestDatabase.leaseTimeout
        return configuration
    }

    /// Runs `body` against a prepared server; always closes and drops the database.
    /// `configure` may change the configuration; it is given the test database's directory.
    /// `testing: .live` serves over a real loopback socket (for what depends on the peer);
    /// `clock` is the time the server reads.
    static func with<T: Sendable>(
        _ backend: TestBackend, adminPassword: String? = adminPassword, testing: TestingSetup = .router,
        clock: any WallClock = SystemClock(),
        configure: @Sendable (inout ServerConfiguration, _ directory: String) throws -> Void = { _, _ in },
        _ body: @Sendable (any TestClientProtocol, ServerApp.Prepared, ServerConfiguration) async throws -> T
    ) async throws -> T {
        let database = try await TestDatabase.create(backend)
        var configured = configuration(for: database, adminPassword: adminPassword)
        do {
            try configure(&configured, database.directory)
        } catch {
            await database.destroy()
            throw error
        }
        let config = configured
        let prepared: ServerApp.Prepared
        do {
            prepared = try await ServerApp.prepare(config, executor: InlineExecutor(), clock: clock, logger: TestDatabase.logger)
        } catch {
            await database.destroy()
            throw error
        }
        do {
            let app = try ServerApp.buildApplication(config, prepared: prepared, logger: TestDatabase.logger)
            let result = try await app.test(testing) { client in try await body(client, prepared, config) }
            await prepared.persistence.close()
            await database.destroy()
            return result
        } catch {
            await prepared.persistence.close()
            await database.destroy()
            throw error
        }
    }
}

extension TestClientProtocol {
    func json(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Logs in and answers the access token, expecting success.
    func login(_ username: String, _ password: String) async throws -> (token: String, restricted: String?) {
        let response = try await json(.post, "/v1/auth/login", body: #"{"username":"\#(username)","password":"\#(password)"}"#)
        #expect(response.status == .ok)
        let object = try response.object()
        return (try #require(object["access_token"] as? String), object["restricted"] as? String)
    }
}

extension TestResponse {
    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
    }

    var text: String { String(buffer: body) }

    /// Checks the response is an RFC 9457 problem with the given status and code.
    func expectProblem(_ status: HTTPResponse.Status, code: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(self.status == status, sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let problem = try object()
        #expect(problem["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        for member in ["type", "title", "detail", "code", "message"] {
            #expect(problem[member] is String, "problem member \(member)", sourceLocation: sourceLocation)
        }
        if let code { #expect(problem["code"] as? String == code, sourceLocation: sourceLocation) }
        #expect(headers[HTTPField.Name("X-Request-Id")!] != nil, sourceLocation: sourceLocation)
    }
}

/// A clock that stands still until a test moves it: what a test of time-bound behaviour
/// (a lock's length, a reload interval) gives the server, so a slow machine cannot let the
/// time run out between two requests.
final class SteppingClock: WallClock, Sendable {
    private let current: Mutex<Int64>

    init(start: Timestamp) { current = Mutex(start.microsecondsSinceEpoch) }

    func now() -> Timestamp { Timestamp(microsecondsSinceEpoch: current.withLock { $0 }) }

    func advance(seconds: Int64) { current.withLock { $0 += seconds * 1_000_000 } }
}
