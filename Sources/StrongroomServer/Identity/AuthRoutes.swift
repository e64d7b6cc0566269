import Audit
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Secrets
import Storage
import StrongroomEdge
import StrongroomKernel

/// Login, step-up, password change, TOTP enrolment and the caller's own identity. The OAuth
/// token and revocation endpoints are `TokenRoutes`.
enum AuthRoutes {
    struct LoginBody: FlatStrictDecodable {
        let username: String
        let password: String
        /// Absent or `null` for "no code".
        let totp: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case username, password, totp
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

    struct TOTPBody: FlatStrictDecodable {
        let totp: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case totp
        }
    }

    struct Enrolment: Encodable {
        let secret: String
        let otpauthURI: String

        enum CodingKeys: String, CodingKey {
            case secret
            case otpauthURI = "otpauth_uri"
        }
    }

    struct Me: Encodable {
        let id: String
        let kind: String
        let name: String
        let groups: [String]
        let permissions: [String]
        let restricted: String?
        /// Until when the token is stepped up for the sensitive permissions; absent when it
        /// is not (any more).
        let elevatedUntil: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, name, groups, permissions, restricted
            case elevatedUntil = "elevated_until"
        }
    }

    struct Services: Sendable {
        let persistence: Persistence
        let flow: LoginFlow
        let sessions: SessionIssuer
        let totpIssuer: String
        let bodyLimit: Int
    }

    static func register(on routes: GuardedRouter, services: Services) {
        let persistence = services.persistence
        let flow = services.flow

        routes.add(.post, "/v1/auth/login", access: .publicRoute, action: "auth.login") { request, context in
            let body = try await BodyReader.decode(LoginBody.self, from: request, limit: services.bodyLimit)
            let attempt = flow.attempt(for: body.username, from: context.sourceAddress)
            // A failed attempt is recorded against a keyed pseudonym of the name tried, never
            // the name itself: it may be personal data, or a password typed in the wrong box.
            context.audit?.describe(resource: "user:~" + attempt.pseudonym)
            let result = try await flow.run(attempt, username: body.username, password: body.password, totp: body.totp)
            guard case .authenticated(let user, let restriction) = result else {
                guard case .throttled(let seconds) = result else { throw Problem.internalError }
                return Problem.response(
                    StrongroomError(.loginThrottled, "Too many failed logins; try again in \(seconds) s."),
                    requestID: context.requestID, headers: [.retryAfter: String(seconds)]
                )
            }
            let session = try await persistence.write { work in
                try await flow.succeeded(attempt, store: work.identity)
                let session = try await services.sessions.start(
                    userID: user.id, restriction: restriction, usedCode: user.mfaEnrolled, store: work.identity
                )
                var summary: AuditSummary = ["token_id": .text(session.access.claims.tokenID)]
                if let restriction { summary["restricted"] = .text(restriction.rawValue) }
                let id = user.id.uuidString.lowercased()
                try context.recordSuccess(
                    in: work, resource: "user:\(id)", summary: summary, actor: AuditActor(kind: .user, id: id, sourceAddress: context.sourceAddress)
                )
                return session
            }
            flow.metrics.countLogin(restriction == nil ? .success : .restricted)
            return try TokenRoutes.answer(session.access, refresh: session.refresh, restricted: restriction)
        }

        // Step-up: a one-time code on top of the session answers a short token that opens the
        // sensitive permissions (`StepUpPolicy`). The code is spent for every process, and a
        // wrong one counts against the login throttle of the same account and source.
        routes.add(.post, "/v1/auth/elevate", access: .authenticated(), action: "auth.elevate") { request, context in
            let body = try await BodyReader.decode(TOTPBody.self, from: request, limit: services.bodyLimit)
            let principal = try context.user()
            let id = principal.id.uuidString.lowercased()
            context.audit?.describe(resource: "user:\(id)")
            guard let enrollment = try await persistence.identity.totp(userID: principal.id), enrollment.confirmed else {
                throw StrongroomError(
                    .secondFactorNotEnrolled, "Step-up needs an authenticator: enrol with POST /v1/auth/mfa/totp, then …/confirm."
                )
            }
            let attempt = flow.attempt(for: principal.name, from: context.sourceAddress, isLogin: false)
            if let seconds = try await flow.throttled(attempt) {
                return Problem.response(
                    StrongroomError(.loginThrottled, "Too many failed attempts; try again in \(seconds) s."),
                    requestID: context.requestID, headers: [.retryAfter: String(seconds)]
                )
            }
            try await flow.proveCode(body.totp, userID: principal.id, attempt: attempt)
            let access = try await persistence.write { work in
                let access = try await services.sessions.elevate(userID: principal.id)
                try context.recordSuccess(in: work, resource: "user:\(id)", summary: ["token_id": .text(access.claims.tokenID)])
                return access
            }
            return try TokenRoutes.answer(access, refresh: nil)
        }

        routes.add(.post, "/v1/auth/password", access: .authenticated(allowing: [.passwordChange]), action: "auth.password.change") {
            request, context in
            let body = try await BodyReader.decode(PasswordBody.self, from: request, limit: services.bodyLimit)
            let principal = try context.user()
            try await persistence.write { work in
                try await flow.login.changePassword(
                    userID: principal.id, currentPassword: body.currentPassword, newPassword: body.newPassword, store: work.identity
                )
                // Sessions opened with the old password end with it.
                try await work.identity.revokeRefreshTokens(ofUser: principal.id)
                try context.recordSuccess(in: work, resource: "user:\(principal.id.uuidString.lowercased())")
            }
            return Response(status: .noContent)
        }

        routes.add(.post, "/v1/auth/mfa/totp", access: .authenticated(allowing: [.mfaEnrollment]), action: "auth.mfa.enrol") {
            _, context in
            let principal = try context.user()
            let secret = TOTP.generateSecret()
            let id = principal.id.uuidString.lowercased()
            try await persistence.write { work in
                if let existing = try await work.identity.totp(userID: principal.id), existing.confirmed {
                    throw StrongroomError(
                        .mfaAlreadyEnrolled, "This account already has a confirmed authenticator; an administrator must reset it."
                    )
                }
                let sealed = try flow.box.seal(secret, purpose: .totpSecret, context: id)
                try await work.identity.setTOTP(userID: principal.id, sealedSecret: sealed, at: services.flow.clock.now())
                try context.recordSuccess(in: work, resource: "user:\(id)")
            }
            return try JSONResponse.make(
                Enrolment(
                    secret: Base32.encode(secret),
                    otpauthURI: TOTP(secret: secret).provisioningURI(issuer: services.totpIssuer, account: principal.name)
                ),
                headers: JSONResponse.noStore
            )
        }

        routes.add(.post, "/v1/auth/mfa/totp/confirm", access: .authenticated(allowing: [.mfaEnrollment]), action: "auth.mfa.confirm") {
            request, context in
            let body = try await BodyReader.decode(TOTPBody.self, from: request, limit: services.bodyLimit)
            let principal = try context.user()
            guard let enrollment = try await persistence.identity.totp(userID: principal.id), !enrollment.confirmed else {
                throw StrongroomError(.mfaNotStarted, "There is no enrolment to confirm; start one with POST /v1/auth/mfa/totp.")
            }
            guard try await flow.spendCode(body.totp, userID: principal.id) else { throw StrongroomError.invalidSecondFactor }
            try await persistence.write { work in
                try await work.identity.confirmTOTP(userID: principal.id, at: flow.clock.now())
                try context.recordSuccess(in: work, resource: "user:\(principal.id.uuidString.lowercased())")
            }
            return Response(status: .noContent)
        }

        routes.add(.get, "/v1/auth/me", access: .authenticated()) { _, context in
            guard let principal = context.principal else { throw StrongroomError.unauthenticated }
            return try JSONResponse.make(Me(
                id: principal.id.uuidString.lowercased(), kind: principal.kind.rawValue, name: principal.name,
                groups: principal.groups, permissions: principal.permissions.map(\.rawValue).sorted(),
                restricted: principal.restriction?.rawValue,
                elevatedUntil: principal.elevatedUntil.flatMap { until in
                    let (micros, overflow) = until.multipliedReportingOverflow(by: 1_000_000)
                    guard !overflow, until > flow.clock.now().secondsSinceEpoch else { return nil }
                    return RFC3339.format(Timestamp(microsecondsSinceEpoch: micros))
                }
            ))
        }
    }
}

extension AppRequestContext {
    /// The calling user; 403 for a machine client, which has no password or TOTP.
    func user() throws -> Principal {
        guard let principal else { throw StrongroomError.unauthenticated }
        guard principal.kind == .user else {
            throw StrongroomError(.permissionDenied, "Only a user account can do this.")
        }
        return principal
    }
}
