import Audit
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import NIOCore
import Storage
import StrongroomEdge
import StrongroomKernel

/// The OAuth 2.0 token endpoint (refresh tokens, client credentials; errors per RFC 6749
/// §5.2) and token revocation (RFC 7009).
enum TokenRoutes {
    struct TokenAnswer: Encodable {
        let accessToken: String
        let tokenType = "Bearer"
        let expiresIn: Int64
        let refreshToken: String?
        let restricted: String?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
            case refreshToken = "refresh_token"
            case restricted
        }
    }


    static func answer(_ access: AccessTokenService.Issued, refresh: SecretValue?, restricted: TokenRestriction? = nil) throws -> Response {
        try JSONResponse.make(
            TokenAnswer(
                accessToken: access.token.revealed, expiresIn: access.expiresIn, refreshToken: refresh?.revealed,
                restricted: restricted?.rawValue
            ),
            headers: JSONResponse.noStore
        )
    }

    /// An RFC 6749 §5.2 error.
    static func oauthError(
        _ code: String, _ description: String, status: HTTPResponse.Status = .badRequest, headers: HTTPFields = [:]
    ) throws -> Response {
        var headers = headers
        headers.append(contentsOf: JSONResponse.noStore)
        return try JSONResponse.make(["error": code, "error_description": description], status: status, headers: headers)
    }

    static func register(
        on routes: GuardedRouter, persistence: Persistence, tokens: TokenAuthority, sessions: SessionIssuer, clock: any WallClock,
        bodyLimit: Int, metrics: SecurityMetrics
    ) {
        routes.add(.post, "/v1/auth/token", access: .publicRoute, action: "auth.token") { request, context in
            let form: [String: String]
            do {
                form = try await FormBody.parse(request, limit: bodyLimit)
            } catch let error as StrongroomError {
                return try oauthError("invalid_request", error.detail)
            }
            switch form["grant_type"] {
            case "refresh_token":
                return try await counted(.refreshToken, metrics) {
                    guard let presented = form["refresh_token"], !presented.isEmpty, presented.utf8.count <= OpaqueSecret.maxPresentedBytes
                    else {
                        return try oauthError("invalid_request", "refresh_token is required.")
                    }
                    return try await refresh(presented, persistence: persistence, sessions: sessions, metrics: metrics, context: context)
                }
            case "client_credentials":
                return try await counted(.clientCredentials, metrics) {
                    try await clientCredentials(request, persistence: persistence, tokens: tokens, clock: clock, context: context)
                }
            case nil:
                return try oauthError("invalid_request", "grant_type is required.")
            default:
                return try oauthError("unsupported_grant_type", "grant_type must be refresh_token or client_credentials.")
            }
        }

        routes.add(.post, "/v1/auth/revoke", access: .publicRoute, action: "auth.revoke") { request, context in
            let form: [String: String]
            do {
                form = try await FormBody.parse(request, limit: bodyLimit)
            } catch let error as StrongroomError {
                return try oauthError("invalid_request", error.detail)
            }
            guard let token = form["token"], !token.isEmpty else { return try oauthError("invalid_request", "token is required.") }
            // RFC 7009: the answer is 200 whether or not the token was valid, so it says nothing.
            let revoked = try await revoke(token, persistence: persistence, tokens: tokens, context: context)
            if !revoked { context.audit?.changedNothing() }
            return Response(status: .ok, headers: JSONResponse.noStore)
        }
    }

    /// Counts a token request of a supported grant by its answer: a token is a success,
    /// anything else (an OAuth error, or an error thrown on the way) a failure. Requests that
    /// name no supported grant are not counted here: their label would come from the request.
    private static func counted(
        _ grant: SecurityMetrics.GrantType, _ metrics: SecurityMetrics, _ body: () async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await body()
            metrics.countTokenRequest(grant, response.status == .ok ? .success : .failure)
            return response
        } catch {
            metrics.countTokenRequest(grant, .failure)
            throw error
        }
    }

    private static func refresh(
        _ presented: String, persistence: Persistence, sessions: SessionIssuer, metrics: SecurityMetrics, context: AppRequestContext
    ) async throws -> Response {
        let hash = OpaqueSecret.hash(presented)
        context.audit?.describe(resource: refreshResource(hash))
        enum Result { case session(SessionIssuer.Session), reused, invalid }
        let result: Result = try await persistence.write { work in
            switch try await work.identity.spendRefreshToken(hash: hash, at: sessions.clock.now()) {
            case .spent(let record):
                guard let user = try await work.identity.user(id: record.userID), user.status == .active else { return .invalid }
                let session = try await sessions.rotate(after: record, store: work.identity)
                let id = record.userID.uuidString.lowercased()
                try context.recordSuccess(
                    in: work, resource: "user:\(id)",
                    summary: ["grant_type": .text("refresh_token"), "family": .text(record.familyID.uuidString.lowercased()),
                              "token_id": .text(session.access.claims.tokenID)],
                    actor: AuditActor(kind: .user, id: id, sourceAddress: context.sourceAddress)
                )
                return .session(session)
            case .reused(let family, let userID):
                // A replayed token means it leaked: the whole family is revoked, in this unit
                // of work, and the record of it commits with the revocation.
                try context.recordRefusal(
                    in: work, .denied, resource: "user:\(userID.uuidString.lowercased())",
                    summary: ["reuse_detected": .text("refresh_token"), "family_revoked": .text(family.uuidString.lowercased())]
                )
                return .reused
            case .invalid:
                return .invalid
            }
        }
        if case .reused = result { metrics.countRefreshTokenReuse() }
        switch result {
        case .session(let session): return try answer(session.access, refresh: session.refresh)
        case .reused, .invalid: return try oauthError("invalid_grant", "The refresh token is invalid, expired, revoked or already used.")
        }
    }

    private static func clientCredentials(
        _ request: Request, persistence: Persistence, tokens: TokenAuthority, clock: any WallClock, context: AppRequestContext
    ) async throws -> Response {
        let challenge: HTTPFields = [.wwwAuthenticate: #"Basic realm="strongroom""#]
        guard let (id, secret) = BasicCredentials.parse(request.headers[.authorization]) else {
            return try oauthError("invalid_client", "Client authentication with HTTP Basic is required.", status: .unauthorized, headers: challenge)
        }
        let clientID = UUID(uuidString: id)
        context.audit?.describe(resource: "client:" + (clientID?.uuidString.lowercased() ?? "~unknown"))
        guard let clientID, let client = try await persistence.identity.client(id: clientID), client.accepts(secret: secret, at: clock.now())
        else {
            return try oauthError("invalid_client", "The client id or secret is wrong.", status: .unauthorized, headers: challenge)
        }
        let issued = try await tokens.signer().issue(subject: client.id, kind: .client, restriction: nil)
        let idText = client.id.uuidString.lowercased()
        try await persistence.write { work in
            try context.recordSuccess(
                in: work, resource: "client:\(idText)",
                summary: ["grant_type": .text("client_credentials"), "token_id": .text(issued.claims.tokenID)],
                actor: AuditActor(kind: .client, id: idText, sourceAddress: context.sourceAddress)
            )
        }
        return try answer(issued, refresh: nil)
    }

    /// How the audit trail names a refresh token: by a prefix of its hash, never the token.
    private static func refreshResource(_ hash: String) -> String { "refresh-token:~" + hash.prefix(16) }

    /// Revokes an access token (by `jti`, until it expires) or a refresh token's family.
    private static func revoke(
        _ token: String, persistence: Persistence, tokens: TokenAuthority, context: AppRequestContext
    ) async throws -> Bool {
        if token.utf8.count <= AccessTokenService.maxTokenBytes, token.split(separator: ".").count == 3 {
            guard let claims = try? await tokens.verify(token) else { return false }
            try await persistence.write { work in
                try await work.identity.revokeAccessToken(
                    tokenID: claims.tokenID, expiresAt: Timestamp(microsecondsSinceEpoch: claims.expiresAt * 1_000_000)
                )
                try context.recordSuccess(
                    in: work, resource: "\(claims.kind.rawValue):\(claims.subject)", summary: ["token_id": .text(claims.tokenID)]
                )
            }
            return true
        }
        guard token.utf8.count <= OpaqueSecret.maxPresentedBytes else { return false }
        let hash = OpaqueSecret.hash(token)
        return try await persistence.write { work in
            guard try await work.identity.revokeRefreshFamily(containing: hash) else { return false }
            try context.recordSuccess(in: work, resource: refreshResource(hash), summary: ["revoked": .text("family")])
            return true
        }
    }
}
