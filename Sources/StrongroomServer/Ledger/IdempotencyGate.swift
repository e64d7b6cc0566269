import Crypto
import Foundation
import HTTPTypes
import Bookkeeping
import Identity
import Hummingbird
import NIOCore
import Secrets
import Storage
import StrongroomEdge
import StrongroomKernel
import Tracing
import Synchronization

/// A response as idempotency stores and replays it: status and exact body bytes.
struct StoredResponse: Sendable {
    let status: HTTPResponse.Status
    let body: Data
    /// The body carries a secret (a client secret, a TOTP secret) or personal data (a
    /// username), as the route that made it declares: it is sealed under the master key
    /// before it is stored, and never cached.
    var confidential = false

    /// A JSON answer; `confidential` as above.
    static func json(_ value: some Encodable, status: HTTPResponse.Status, confidential: Bool = false) throws -> StoredResponse {
        StoredResponse(status: status, body: try JSONResponse.encode(value), confidential: confidential)
    }

    func response(replayed: Bool = false) -> Response {
        var headers: HTTPFields = [:]
        headers[.contentType] = status.code >= 400 ? Problem.contentType : "application/json"
        if replayed { headers[.idempotencyReplayed] = "true" }
        if confidential { headers.append(contentsOf: JSONResponse.noStore) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Runs a creating request at most once per idempotency key (API.md, Idempotency; the
/// design is in docs/ARCHITECTURE.md). The record of a 2xx commits with its effect; a 4xx
/// is stored in a transaction of its own; 5xx are never stored; nothing "in progress" is
/// ever written, so a crash cannot leave a key stuck. A repeat while the first still runs
/// in this process answers 409; across processes the second waits on the first's record
/// and replays it.
///
/// What is stored reveals nothing a database reader should not see: the request's digest
/// is an HMAC under a key derived from the master key (a plain hash of a body holding a
/// password could be checked against guesses), and a response declared confidential
/// (`StoredResponse.confidential`) is sealed under the master key, bound to its scope. Ledger
/// answers carry no secret and stay in clear, so the posting path pays no AES-GCM.
final class IdempotencyGate: Sendable {
    static let maxTTLSeconds: Int64 = 86_400
    static let maxKeyLength = 255
    /// The first byte of a stored body that is sealed: no JSON text starts with NUL.
    static let sealedMarker: UInt8 = 0x00
    /// The most keyed requests this process runs at once; one more is answered 503
    /// (SR-9003) rather than let the set of running keys grow without bound. Each connection
    /// carries one request at a time, so the default connection cap (4,096) bounds it first:
    /// only a deployment that raises that cap meets this one, and `strongroom bench` (64
    /// connections, or 8 with `--batch`) never comes near it.
    static let defaultMaxRunningKeys = 16_384

    struct Key: Sendable {
        let scope: String
        let requestHash: String
        let ttlSeconds: Int64
    }

    /// A key the gate has admitted: where the request's answer is stored, as a value the
    /// unit of work that carries the effect writes (`store(_:under:in:)`, or the group
    /// commit's flush for a posting).
    struct Claim: Sendable {
        let scope: String
        let requestHash: String
        let expiresAt: Timestamp

        /// The record of an answer stored in clear. A confidential answer is sealed first
        /// (`IdempotencyGate.store`); a ledger answer carries no secret and never is.
        func record(of answer: StoredResponse) -> IdempotencyRecord {
            record(body: Array(answer.body), status: answer.status.code)
        }

        fileprivate func record(body: [UInt8], status: Int) -> IdempotencyRecord {
            IdempotencyRecord(scope: scope, requestHash: requestHash, status: status, body: body, expiresAt: expiresAt)
        }
    }

    private let persistence: Persistence
    private let clock: any WallClock
    private let box: SecretBox
    /// Derived once: every request with a key computes its digest under it.
    private let digestKey: SymmetricKey
    private let running = Mutex<Set<String>>([])
    private let maxRunningKeys: Int

    init(persistence: Persistence, clock: any WallClock, box: SecretBox, maxRunningKeys: Int = IdempotencyGate.defaultMaxRunningKeys) {
        self.persistence = persistence
        self.clock = clock
        self.box = box
        self.maxRunningKeys = maxRunningKeys
        self.digestKey = SymmetricKey(data: box.derivedSeed(purpose: .idempotencyRequestDigest))
    }

    /// The request's key, or nil when it carries none. `canonicalBody` is the decoded body
    /// re-encoded with sorted keys, so key order and white space do not change the digest;
    /// it is rendered only for a request that carries a key.
    func key(for request: Request, context: AppRequestContext, canonicalBody: @autoclosure () throws -> [UInt8]) throws -> Key? {
        guard let key = request.headers[.idempotencyKey] ?? request.headers[.xIdempotency] else { return nil }
        guard (1...Self.maxKeyLength).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw StrongroomError(.invalidIdempotencyKey, "The idempotency key must be 1 to 255 visible ASCII characters.")
        }
        var ttl = Self.maxTTLSeconds
        if let text = request.headers[.xTTL] {
            // X-TTL may ask for less than the default, never for more.
            guard let asked = Int64(text), (1...Self.maxTTLSeconds).contains(asked) else {
                throw StrongroomError(.invalidIdempotencyKey, "X-TTL must be a number of seconds from 1 to 86400.")
            }
            ttl = asked
        }
        let caller = context.principal?.id.uuidString.lowercased() ?? "anonymous"
        let path = Self.scopePath(request.uri.path)
        // A route whose organization is in its header (`X-Organization-Id`) scopes the key by
        // it too: one key sent to two organizations is two requests.
        let organization = context.headerOrganizationID.map { ["organization:" + $0] } ?? []
        let scope = Self.hash(([request.method.rawValue, path, key, caller] + organization).map { Array($0.utf8) })
        return Key(scope: scope, requestHash: digest(try canonicalBody()), ttlSeconds: ttl)
    }

    /// `key(for:context:canonicalBody:)` for a body whose canonical text is its `Encodable`
    /// form with sorted keys (the bodies of entity and identity creates).
    func key(for request: Request, context: AppRequestContext, body: some Encodable) throws -> Key? {
        try key(for: request, context: context, canonicalBody: Array(try JSONResponse.encode(body)))
    }

    /// The path as the scope sees it: every segment that is an id in lower case, so
    /// `/v1/organizations/ABC…` and `/v1/organizations/abc…` (one organization, as the routes
    /// read ids) are one scope.
    static func scopePath(_ path: String) -> String {
        guard path.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }) else { return path }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { segment in FieldRules.normalizedID(String(segment)) ?? String(segment) }
            .joined(separator: "/")
    }

    /// HMAC-SHA256 of the canonical body under the derived digest key, hex.
    private func digest(_ canonicalBody: [UInt8]) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: canonicalBody, using: digestKey))
    }

    /// Runs `effect` in a unit of work of its own, once per key.
    func run(
        _ key: Key?, requestID: String, effect: @escaping @Sendable (UnitOfWork) async throws -> StoredResponse
    ) async throws -> Response {
        try await run(key, requestID: requestID) { [persistence, self] claim in
            try await persistence.write { work in
                let answer = try await effect(work)
                try store(answer, under: claim, in: work)
                return answer
            }
        }
    }

    /// Runs a request once per key, where `commit` decides which unit of work carries the
    /// effect (its own, or a group commit's). `commit` gets the claim under which that unit
    /// of work stores the answer, or nil when the request has no key.
    func run(
        _ key: Key?, requestID: String, commit: @Sendable (_ claim: Claim?) async throws -> StoredResponse
    ) async throws -> Response {
        guard let key else { return try await commit(nil).response() }
        switch admit(key.scope) {
        case .claimed: break
        case .alreadyRunning:
            throw StrongroomError(.idempotencyInFlight, "A request with this idempotency key is still running; retry it.")
        case .full:
            throw StrongroomError(.idempotencyCapacity, "Too many requests with idempotency keys are running; retry shortly.")
        }
        defer { release(key.scope) }
        let earlier = try await Traced.run("idempotency.check") { span in
            let stored = try await persistence.idempotency.find(scope: key.scope, now: clock.now())
            span.attributes["strongroom.idempotency.replayed"] = stored != nil
            return stored
        }
        if let stored = earlier { return try replay(stored, key) }
        let claim = Claim(scope: key.scope, requestHash: key.requestHash, expiresAt: clock.now().adding(seconds: key.ttlSeconds))
        do {
            return try await commit(claim).response()
        } catch let error as UniqueViolation {
            // Another process stored this key first: its effect stands and ours rolled back.
            guard let stored = try await persistence.idempotency.find(scope: key.scope, now: clock.now()) else { throw error }
            return try replay(stored, key)
        } catch let error as StrongroomError where Self.isStorable(error) {
            let answer = StoredResponse(status: Problem.status(for: error.kind), body: Problem.body(error, requestID: requestID))
            do {
                try await persistence.write { [self] work in try store(answer, under: claim, in: work) }
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
                .idempotencyKeyReused, "This idempotency key was already used with a different request body."
            )
        }
        let status = HTTPResponse.Status(code: stored.status)
        guard stored.body.first == Self.sealedMarker else {
            return StoredResponse(status: status, body: Data(stored.body)).response(replayed: true)
        }
        // Opens only under the master key it was sealed with, on the row it was sealed for;
        // otherwise the failure is the operator's (a changed key) or an attack, answered 500.
        let body = try box.open(Array(stored.body.dropFirst()), purpose: .idempotencyResponse, context: stored.scope)
        return StoredResponse(status: status, body: Data(body), confidential: true).response(replayed: true)
    }

    /// Stores `answer` under the claim in the unit of work of its effect, until the claim
    /// expires; sealed first when it is confidential. No claim, nothing to store.
    func store(_ answer: StoredResponse, under claim: Claim?, in work: UnitOfWork) throws {
        guard let claim else { return }
        guard answer.confidential else { return work.storeResponse(claim.record(of: answer)) }
        let sealed = try box.seal(Array(answer.body), purpose: .idempotencyResponse, context: claim.scope)
        work.storeResponse(claim.record(body: [Self.sealedMarker] + sealed, status: answer.status.code))
    }

    /// What asking for a key's place among the running ones answered.
    private enum Admission { case claimed, alreadyRunning, full }

    private func admit(_ scope: String) -> Admission {
        running.withLock { running in
            if running.contains(scope) { return .alreadyRunning }
            guard running.count < maxRunningKeys else { return .full }
            running.insert(scope)
            return .claimed
        }
    }

    private func release(_ scope: String) { running.withLock { _ = $0.remove(scope) } }

    /// SHA-256 over length-prefixed parts, hex: no two different part lists hash alike. The
    /// scope's parts (method, path, key, caller id) are not secret, so it needs no key.
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
    static let xOrganizationID = Self("X-Organization-Id")!
    static let xTTL = Self("X-TTL")!
    static let idempotencyReplayed = Self("X-Idempotency-Replayed")!
    static let xTotalCount = Self("X-Total-Count")!
}
