import Audit
import Foundation
import Hummingbird
import Identity
import Secrets
import Storage
import StrongroomKernel

/// Login, password change and the caller's own identity.
enum AuthRoutes {
    struct LoginBody: FlatStrictDecodable {
        let username: String
        let password: String
        let totp: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case username, password, totp
        }
    }

    struct LoginAnswer: Encodable {
        let accessToken: String
        let tokenType = "Bearer"
        let expiresIn: Int64
        let restricted: String?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
            case restricted
        }
    }

    struct PasswordBody: FlatStrictDecodable {
        let currentPassword: String
        let newPassword: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case currentPassword = "current_password"
            case newPassword = "new_password"
        }
    }

    struct Me: Encodable {
        let id: String
        let kind: String
        let name: String
        let groups: [String]
        let permissions: [String]
        let restricted: String?
    }

    static func register(
        on routes: GuardedRouter, persistence: Persistence, tokens: TokenAuthority, login: LoginService, box: SecretBox, bodyLimit: Int
    ) {
        routes.add(.post, "/v1/auth/login", access: .publicRoute, action: "auth.login") { request, context in
            let body = try await RequestBody.decode(LoginBody.self, from: request, limit: bodyLimit)
            // A failed attempt is recorded against a keyed pseudonym of the name tried, never
            // the name itself: it may be personal data, or a password typed in the wrong box.
            context.audit?.describe(resource: "user:~" + box.pseudonym(body.username.lowercased(), purpose: .auditPseudonym))
            let user = try await login.authenticate(username: body.username, password: body.password, store: persistence.identity)
            let restriction = LoginService.restriction(for: user)
            let issued = try await tokens.current.issue(subject: user.id, kind: .user, restriction: restriction)
            try await persistence.write { work in
                var summary: AuditSummary = ["token_id": .text(issued.claims.tokenID)]
                if let restriction { summary["restricted"] = .text(restriction.rawValue) }
                let id = user.id.uuidString.lowercased()
                try context.recordSuccess(
                    in: work, resource: "user:\(id)", summary: summary, actor: AuditActor(kind: .user, id: id, sourceAddress: context.sourceAddress)
                )
            }
            return try JSONResponse.make(
                LoginAnswer(accessToken: issued.token.revealed, expiresIn: issued.expiresIn, restricted: restriction?.rawValue),
                headers: [.cacheControl: "no-store", .pragma: "no-cache"]
            )
        }

        routes.add(.post, "/v1/auth/password", access: .authenticated(allowing: [.passwordChange]), action: "auth.password.change") {
            request, context in
            let body = try await RequestBody.decode(PasswordBody.self, from: request, limit: bodyLimit)
            guard let principal = context.principal, principal.kind == .user else { throw StrongroomError.unauthenticated }
            try await persistence.write { work in
                try await login.changePassword(
                    userID: principal.id, currentPassword: body.currentPassword, newPassword: body.newPassword, store: work.identity
                )
                try context.recordSuccess(in: work, resource: "user:\(principal.id.uuidString.lowercased())")
            }
            return Response(status: .noContent)
        }

        routes.add(.get, "/v1/auth/me", access: .authenticated()) { _, context in
            guard let principal = context.principal else { throw StrongroomError.unauthenticated }
            return try JSONResponse.make(Me(
                id: principal.id.uuidString.lowercased(), kind: principal.kind.rawValue, name: principal.name,
                groups: principal.groups, permissions: principal.permissions.map(\.rawValue).sorted(),
                restricted: principal.restriction?.rawValue
            ))
        }
    }
}
