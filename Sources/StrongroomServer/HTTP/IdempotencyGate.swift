import Crypto
import Foundation
import HTTPTypes
import Identity
import Hummingbird
import NIOCore
import Storage
import StrongroomKernel
import Synchronization

extension ErrorCode {
    // Idempotency (SR-203x).
    public static let idempotencyKeyReused: Self = "SR-2030"
    public static let idempotencyInFlight: Self = "SR-2031"
    public static let invalidIdempotencyKey: Self = "SR-2032"
}

/// A response as idempotency stores and replays it: status and exact body bytes.
struct StoredResponse: Sendable {
    let status: HTTPResponse.Status
    let body: Data

    func response(replayed: Bool = false) -> Response {
        var headers: HTTPFields = [:]
        headers[.contentType] = status.code >= 400 ? Problem.contentType : "application/json"
        if replayed { headers[.idempotencyReplayed] = "true" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Runs a creating request at most once per idempotency key (API.md, Idempotency; the
/// design is in docs/ARCHITECTURE.md). The record of a 2xx commits with its effect; a 4xx
/// is stored in a transaction of its own; 5xx are never stored; nothing "in progress" is
/// ever written, so a crash cannot leave a key stuck. A repeat while the first still runs
/// in this process answers 409; across processes the second waits on the first's record
/// and replays it.
final class IdempotencyGate: Sendable {
    static let maxTTLSeconds: Int64 = 86_400
    static let maxKeyLength = 255

    struct Key: Sendable {
        let scope: String
        let requestHash: String
        let ttlSeconds: Int64
    }

    private let persistence: Persistence
    private let clock: any WallClock
    private let running = Mutex<Set<String>>([])

    init(persistence: Persistence, clock: any WallClock) {
        self.persistence = persistence
        self.clock = clock
    }

    /// The request's key, or nil when it carries none. `canonicalBody` is the decoded body
    /// re-encoded with sorted keys, so key order and white space do not change the hash; it
    /// is rendered only for a request that carries a key.
    func key(for request: Request, context: AppRequestContext, canonicalBody: @autoclosure () throws -> [UInt8]) throws -> Key? {
        guard let key = request.headers[.idempotencyKey] ?? request.headers[.xIdempotency] else { return nil }
        guard (1...Self.maxKeyLength).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw StrongroomError(.invalidIdempotencyKey, .badRequest, "The idempotency key must be 1 to 255 visible ASCII characters.")
        }
        var ttl = Self.maxTTLSeconds
        if let text = request.headers[.xTTL] {
            // X-TTL may ask for less than the default, never for more.
            guard let asked = Int64(text), (1...Self.maxTTLSeconds).contains(asked) else {
                throw StrongroomError(.invalidIdempotencyKey, .badRequest, "X-TTL must be a number of seconds from 1 to 86400.")
            }
            ttl = asked
        }
        let caller = context.principal?.id.uuidString.lowercased() ?? "anonymous"
        let scope = Self.hash([request.method.rawValue, request.uri.path, key, caller].map { Array($0.utf8) })
        return Key(scope: scope, requestHash: Self.hash([try canonicalBody()]), ttlSeconds: ttl)
    }

    /// Stores the response under the request's key in the unit of work of its effect.
    typealias Seal = @Sendable (StoredResponse, UnitOfWork) async throws -> Void

    /// Runs `effect` in a unit of work of its own, once per key.
    func run(
        _ key: Key?, requestID: String, effect: @escaping @Sendable (UnitOfWork) async throws -> StoredResponse
    ) async throws -> Response {
        try await run(key, requestID: requestID) { [persistence] seal in
            try await persistence.write { work in
                let answer = try await effect(work)
                try await seal?(answer, work)
                return answer
            }
        }
    }

    /// Runs a request once per key, where `commit` decides which unit of work carries the
    /// effect (its own, or a group commit's). `commit` gets the seal to call in that unit of
    /// work with the answer, or nil when the request has no key.
    func run(
        _ key: Key?, requestID: String, commit: @Sendable (_ seal: Seal?) async throws -> StoredResponse
    ) async throws -> Response {
        guard let key else { return try await commit(nil).response() }
        guard claim(key.scope) else {
            throw StrongroomError(.idempotencyInFlight, .conflict, "A request with this idempotency key is still running; retry it.")
        }
        defer { release(key.scope) }
        if let stored = try await persistence.idempotency.find(scope: key.scope, now: clock.now()) {
            return try replay(stored, key)
        }
        do {
            return try await commit { [self] answer, work in store(answer, key, in: work) }.response()
        } catch let error as UniqueViolation {
            // Another process stored this key first: its effect stands and ours rolled back.
            guard let stored = try await persistence.idempotency.find(scope: key.scope, now: clock.now()) else { throw error }
            return try replay(stored, key)
        } catch let error as StrongroomError where Self.isStorable(error) {
            let answer = StoredResponse(status: Problem.status(for: error.kind), body: Problem.body(error, requestID: requestID))
            do {
                try await persistence.write { [self] work in store(answer, key, in: work) }
            } catch is UniqueViolation {
                if let stored = try await persistence.idempotency.find(scope: key.scope, now: clock.now()) { return try replay(stored, key) }
            }
            throw error
        }
    }

    /// Client errors are answers to store; 401/403 never reach here, and 409 asks for a retry.
    private static func isStorable(_ error: StrongroomError) -> Bool {
        switch error.kind {
        case .badRequest, .notFound, .unprocessable, .payloadTooLarge: true
        default: false
        }
    }

    private func replay(_ stored: IdempotencyRecord, _ key: Key) throws -> Response {
        guard stored.requestHash == key.requestHash else {
            throw StrongroomError(
                .idempotencyKeyReused, .unprocessable, "This idempotency key was already used with a different request body."
            )
        }
        return StoredResponse(status: HTTPResponse.Status(code: stored.status), body: Data(stored.body)).response(replayed: true)
    }

    /// Stores `answer` under the key in the unit of work, for the key's time to live.
    private func store(_ answer: StoredResponse, _ key: Key, in work: UnitOfWork) {
        work.storeResponse(
            IdempotencyRecord(
                scope: key.scope, requestHash: key.requestHash, status: answer.status.code, body: Array(answer.body),
                expiresAt: clock.now().adding(seconds: key.ttlSeconds)
            )
        )
    }

    private func claim(_ scope: String) -> Bool { running.withLock { $0.insert(scope).inserted } }

    private func release(_ scope: String) { running.withLock { _ = $0.remove(scope) } }

    /// SHA-256 over length-prefixed parts, hex: no two different part lists hash alike.
    private static func hash(_ parts: [[UInt8]]) -> String {
        var hasher = SHA256()
        for part in parts {
            withUnsafeBytes(of: UInt64(part.count).bigEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(data: part)
        }
        return Hex.string(hasher.finalize())
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let xIdempotency = Self("X-Idempotency")!
    static let xTTL = Self("X-TTL")!
    static let idempotencyReplayed = Self("X-Idempotency-Replayed")!
    static let xTotalCount = Self("X-Total-Count")!
}
