import Audit
import Foundation
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// `POST/GET /v1/users`, `GET/PATCH /v1/users/{id}`, `DELETE /v1/users/{id}/mfa/totp`.
enum UserRoutes {
    /// Encodable for its idempotency digest (keyed: it holds a password).
    struct NewUser: FlatStrictDecodable, Encodable {
        let username: String
        let password: String
        let groups: [String]?
        /// Group name to when that membership lapses (issue 25, item 4).
        let groupExpiresAt: [String: Timestamp?]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case username, password, groups
            case groupExpiresAt = "group_expires_at"
        }

        static var shape: BodyShape { .object(CodingKeys.self, nested: ["group_expires_at": .free]) }
    }

    struct UserChanges: FlatStrictDecodable {
        let status: String?
        let groups: [String]?
        let password: String?
        let groupExpiresAt: [String: Timestamp?]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case status, groups, password
            case groupExpiresAt = "group_expires_at"
        }

        static var shape: BodyShape { .object(CodingKeys.self, nested: ["group_expires_at": .free]) }
    }

    struct UserView: Encodable {
        let id: String
        let username: String
        let status: String
        let groups: [String]
        let groupExpiresAt: [String: Timestamp]
        let mustChangePassword: Bool
        let mfaEnrolled: Bool
        let createdAt: Timestamp
        let updatedAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case id, username, status, groups
            case groupExpiresAt = "group_expires_at"
            case mustChangePassword = "must_change_password"
            case mfaEnrolled = "mfa_enrolled"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        init(_ user: User, memberships: [Membership]) {
            id = user.id.uuidString.lowercased()
            username = user.username.value
            status = user.status.rawValue
            groups = memberships.map(\.group.name)
            groupExpiresAt = AdminSupport.expiryView(memberships)
            mustChangePassword = user.mustChangePassword
            mfaEnrolled = user.mfaEnrolled
            createdAt = user.createdAt
            updatedAt = user.updatedAt
        }
    }

    static func register(
        on routes: GuardedRouter, persistence: Persistence, gate: IdempotencyGate, hasher: PasswordHasher, executor: any BlockingExecutor,
        clock: any WallClock, bodyLimit: Int
    ) {
        routes.add(.post, "/v1/users", access: .permission(.usersManage), action: "user.create") { request, context in
            let body = try await BodyReader.decode(NewUser.self, from: request, limit: bodyLimit)
            let key = try gate.key(for: request, context: context, body: body)
            // Inside the gate: a replay costs no password hash, and a refusal is stored too.
            return try await gate.run(key, requestID: context.requestID) { claim in
                let username = try Username(body.username)
                try PasswordPolicy.check(body.password, username: username, field: "password")
                let groups = try await AdminSupport.groups(named: body.groups ?? [], store: persistence.identity)
                try AdminSupport.requireCovering(groups, by: context.principal)
                let now = clock.now()
                let expiries = try AdminSupport.expiries(
                    body.groupExpiresAt, field: "group_expires_at", kept: [UUID: Timestamp](),
                    names: Dictionary(uniqueKeysWithValues: groups.map { ($0.id, $0.name) }), now: now
                )
                let hash = try await executor.run { hasher.hash(body.password) }
                // The administrator knows this password, so the user must replace it first.
                let user = User(
                    id: UUID(), username: username, passwordHash: hash, status: .active, mustChangePassword: true, createdAt: now,
                    updatedAt: now
                )
                return try await persistence.write { work in
                    try await work.identity.insertUser(user)
                    try await work.identity.setMemberships(principalID: user.id, kind: .user, groupIDs: groups.map(\.id), expiries: expiries)
                    try context.recordSuccess(
                        in: work, resource: "user:\(user.id.uuidString.lowercased())", summary: ["groups": .list(groups.map(\.name))]
                    )
                    // A username is personal data: the stored answer is sealed like a secret.
                    let memberships = groups.map { Membership(group: $0, expiresAt: expiries[$0.id]) }
                    let answer = try StoredResponse.json(UserView(user, memberships: memberships), status: .created, confidential: true)
                    try gate.store(answer, under: claim, in: work)
                    return answer
                }
            }
        }

        routes.add(.get, "/v1/users", access: .permission(.usersRead)) { request, _ in
            let limit = try AdminSupport.limit(request)
            var cursor: UUID?
            if let text = request.uri.queryParameters["cursor"] {
                guard let id = UUID(uuidString: String(text)) else { throw StrongroomError.invalidQuery("cursor", "must be a user id") }
                cursor = id
            }
            let users = try await persistence.identity.users(after: cursor, limit: limit + 1)
            var items: [UserView] = []
            for user in users.prefix(limit) {
                items.append(UserView(user, memberships: try await persistence.identity.memberships(of: user.id, kind: .user)))
            }
            return try JSONResponse.make(AdminSupport.Page(items: items, nextCursor: users.count > limit ? items.last?.id : nil))
        }

        routes.add(.get, "/v1/users/{id}", access: .permission(.usersRead)) { _, context in
            let id = try AdminSupport.pathID(context, "The user")
            guard let user = try await persistence.identity.user(id: id) else { throw StrongroomError.identityNotFound("The user") }
            return try JSONResponse.make(UserView(user, memberships: try await persistence.identity.memberships(of: id, kind: .user)))
        }

        routes.add(.patch, "/v1/users/{id}", access: .permission(.usersManage), action: "user.update") { request, context in
            let id = try AdminSupport.pathID(context, "The user")
            let (changes, fields) = try await BodyReader.decodeNamingFields(UserChanges.self, from: request, limit: bodyLimit)
            let status = try changes.status.map { text in
                guard let status = User.Status(rawValue: text) else {
                    throw StrongroomError.invalidIdentityValue("status", "must be active or disabled")
                }
                return status
            }
            if status == .disabled, id == context.principal?.id {
                throw StrongroomError.invalidIdentityValue("status", "cannot disable the account you are using")
            }
            let newGroups: [Group]? =
                if let names = changes.groups { try await AdminSupport.groups(named: names, store: persistence.identity) } else { nil }
            let newHash = try await changes.password.asyncMap { password in
                guard let user = try await persistence.identity.user(id: id) else { throw StrongroomError.identityNotFound("The user") }
                try PasswordPolicy.check(password, username: user.username, field: "password")
                return try await executor.run { hasher.hash(password) }
            }
            let view = try await persistence.write { work in
                guard var user = try await work.identity.user(id: id) else { throw StrongroomError.identityNotFound("The user") }
                var memberships = try await work.identity.memberships(of: id, kind: .user)
                let groups = memberships.map(\.group)
                // Changing the account of someone who holds more than the caller is reaching
                // access the caller does not hold.
                try AdminSupport.requireCovering(groups, by: context.principal)
                let now = clock.now()
                memberships = try await AdminSupport.changeMemberships(
                    of: id, kind: .user, from: memberships, to: newGroups, expiresAt: changes.groupExpiresAt,
                    by: context.principal, now: now, store: work.identity
                )
                if let newHash {
                    try await work.identity.updatePassword(userID: id, hash: newHash, mustChangePassword: true, at: now)
                    user.mustChangePassword = true
                    try await work.identity.revokeRefreshTokens(ofUser: id)
                }
                if let status {
                    try await work.identity.updateStatus(userID: id, status: status, at: now)
                    user.status = status
                    // Its refresh tokens die now; its access tokens within the principal
                    // cache's lifetime, as the resolver finds the user disabled.
                    if status == .disabled { try await work.identity.revokeRefreshTokens(ofUser: id) }
                }
                user.updatedAt = now
                try context.recordSuccess(in: work, resource: "user:\(id.uuidString.lowercased())", summary: ["fields": .list(fields)])
                return UserView(user, memberships: memberships)
            }
            return try JSONResponse.make(view)
        }

        // An administrator's reset of a user who lost the authenticator: the enrolment goes
        // and the user's sessions end; the next login enrols again where a group requires it.
        routes.add(.delete, "/v1/users/{id}/mfa/totp", access: .permission(.usersManage), action: "user.mfa.reset") { _, context in
            let id = try AdminSupport.pathID(context, "The user")
            try await persistence.write { work in
                guard try await work.identity.user(id: id) != nil else { throw StrongroomError.identityNotFound("The user") }
                try AdminSupport.requireCovering(try await work.identity.groups(of: id, kind: .user), by: context.principal)
                guard try await work.identity.clearTOTP(userID: id, at: clock.now()) else {
                    throw StrongroomError(.identityNotFound, "The user has no second factor enrolled.")
                }
                try await work.identity.revokeRefreshTokens(ofUser: id)
                try context.recordSuccess(in: work, resource: "user:\(id.uuidString.lowercased())")
            }
            return Response(status: .noContent)
        }
    }
}
