import Audit
import Bookkeeping
import Foundation
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// `POST/GET /v1/groups`, `GET/PATCH /v1/groups/{id}`.
enum GroupRoutes {
    struct ScopeBody: FlatStrictDecodable, Encodable {
        let organizationID: String
        let ledgerID: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case organizationID = "organization_id"
            case ledgerID = "ledger_id"
        }
    }

    /// Encodable for its idempotency digest.
    struct NewGroup: StrictDecodable, Encodable {
        let name: String
        let permissions: [String]
        let scope: ScopeBody?
        let requireMFA: Bool?
        /// Permission name to when that grant lapses (issue 25, item 4).
        let permissionExpiresAt: [String: Timestamp?]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, permissions, scope
            case requireMFA = "require_mfa"
            case permissionExpiresAt = "permission_expires_at"
        }

        static var shape: BodyShape { .object(CodingKeys.self, nested: ["scope": ScopeBody.shape, "permission_expires_at": .free]) }
    }

    struct GroupChanges: StrictDecodable {
        let permissions: [String]?
        /// Absent: unchanged. `null`: the group becomes global again. An object: that scope.
        let scope: ScopeBody??
        let requireMFA: Bool?
        /// Entries named change; a permission kept and not named keeps its expiry.
        let permissionExpiresAt: [String: Timestamp?]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case permissions, scope
            case requireMFA = "require_mfa"
            case permissionExpiresAt = "permission_expires_at"
        }

        static var shape: BodyShape { .object(CodingKeys.self, nested: ["scope": ScopeBody.shape, "permission_expires_at": .free]) }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            permissions = try container.decodeIfPresent([String].self, forKey: .permissions)
            requireMFA = try container.decodeIfPresent(Bool.self, forKey: .requireMFA)
            permissionExpiresAt = try container.decodeIfPresent([String: Timestamp?].self, forKey: .permissionExpiresAt)
            if !container.contains(.scope) {
                scope = nil
            } else if try container.decodeNil(forKey: .scope) {
                scope = .some(nil)
            } else {
                scope = .some(try container.decode(ScopeBody.self, forKey: .scope))
            }
        }
    }

    struct GroupView: Encodable {
        let id: String
        let name: String
        let permissions: [String]
        let scope: ScopeBody?
        let requireMFA: Bool
        let builtIn: Bool
        let createdAt: Timestamp
        let permissionExpiresAt: [String: Timestamp]

        enum CodingKeys: String, CodingKey {
            case id, name, permissions, scope
            case requireMFA = "require_mfa"
            case permissionExpiresAt = "permission_expires_at"
            case builtIn = "built_in"
            case createdAt = "created_at"
        }

        init(_ group: Group) {
            id = group.id.uuidString.lowercased()
            name = group.name
            permissions = group.permissions.map(\.rawValue).sorted()
            scope = group.scope.organizationID.map { ScopeBody(organizationID: $0, ledgerID: group.scope.ledgerID) }
            requireMFA = group.requiresMFA
            builtIn = group.builtIn
            createdAt = group.createdAt
            permissionExpiresAt = Dictionary(uniqueKeysWithValues: group.permissionExpiries.map { ($0.key.rawValue, $0.value) })
        }
    }

    static func register(on routes: GuardedRouter, persistence: Persistence, gate: IdempotencyGate, clock: any WallClock, bodyLimit: Int) {
        routes.add(.post, "/v1/groups", access: .permission(.groupsManage), action: "group.create") { request, context in
            let body = try await BodyReader.decode(NewGroup.self, from: request, limit: bodyLimit)
            let key = try gate.key(for: request, context: context, body: body)
            return try await gate.run(key, requestID: context.requestID) { work in
                guard Group.isValidName(body.name) else {
                    throw StrongroomError.invalidIdentityValue("name", "is 1 to 64 lower-case letters, digits, '.', '_' and '-'")
                }
                let permissions = try permissionSet(body.permissions)
                let scope = try accessScope(body.scope)
                try AdminSupport.requireCovering(permissions: permissions, in: scope, by: context.principal)
                try await requireExists(scope, persistence: persistence)
                let now = clock.now()
                let expiries = try AdminSupport.expiries(
                    body.permissionExpiresAt, field: "permission_expires_at", kept: [Permission: Timestamp](),
                    names: Dictionary(uniqueKeysWithValues: permissions.map { ($0, $0.rawValue) }), now: now
                )
                let group = Group(
                    id: UUID(), name: body.name, permissions: permissions, scope: scope, requiresMFA: body.requireMFA ?? false,
                    builtIn: false, createdAt: now, permissionExpiries: expiries
                )
                try await work.identity.insertGroup(group)
                try context.recordSuccess(in: work, resource: "group:\(group.id.uuidString.lowercased())", summary: summary(group))
                return try StoredResponse.json(GroupView(group), status: .created)
            }
        }

        routes.add(.get, "/v1/groups", access: .permission(.usersRead)) { _, _ in
            try JSONResponse.make(["items": try await persistence.identity.groups().map(GroupView.init)])
        }

        routes.add(.get, "/v1/groups/{id}", access: .permission(.usersRead)) { _, context in
            let id = try AdminSupport.pathID(context, "The group")
            guard let group = try await persistence.identity.group(id: id) else { throw StrongroomError.identityNotFound("The group") }
            return try JSONResponse.make(GroupView(group))
        }

        routes.add(.patch, "/v1/groups/{id}", access: .permission(.groupsManage), action: "group.update") { request, context in
            let id = try AdminSupport.pathID(context, "The group")
            let (changes, fields) = try await BodyReader.decodeNamingFields(GroupChanges.self, from: request, limit: bodyLimit)
            let permissions = try changes.permissions.map(permissionSet)
            let scope: AccessScope? = try changes.scope.map { try accessScope($0) }
            let group = try await persistence.write { work in
                guard var group = try await work.identity.group(id: id) else { throw StrongroomError.identityNotFound("The group") }
                if group.builtIn, permissions != nil || scope != nil || changes.permissionExpiresAt != nil {
                    throw StrongroomError(.builtInGroup, "A built-in group's permissions and scope are fixed.")
                }
                // Both what the group gave and what it will give must be the caller's own.
                try AdminSupport.requireCovering([group], by: context.principal)
                if permissions != nil || changes.permissionExpiresAt != nil {
                    let target = permissions ?? group.permissions
                    group.permissionExpiries = try AdminSupport.expiries(
                        changes.permissionExpiresAt, field: "permission_expires_at", kept: group.permissionExpiries,
                        names: Dictionary(uniqueKeysWithValues: target.map { ($0, $0.rawValue) }), now: clock.now()
                    )
                }
                if let permissions {
                    // A client member could never use a sensitive grant (it cannot step up).
                    let sensitive = permissions.subtracting(group.permissions).intersection(PermissionCatalogue.sensitive)
                    if let first = sensitive.sorted().first, try await work.identity.hasMembers(groupID: id, kind: .client) {
                        let message = "adds the sensitive '\(first.rawValue)' to a group a machine client belongs to"
                        throw StrongroomError(
                            .sensitiveForClient, "Field 'permissions' \(message).", fields: [.init(field: "permissions", message: message)]
                        )
                    }
                    group.permissions = permissions
                }
                if let scope { group.scope = scope }
                if let requireMFA = changes.requireMFA { group.requiresMFA = requireMFA }
                try AdminSupport.requireCovering([group], by: context.principal)
                if let scope { try await requireExists(scope, persistence: persistence) }
                try await work.identity.updateGroup(group)
                var summary = summary(group)
                summary["fields"] = .list(fields)
                try context.recordSuccess(in: work, resource: "group:\(id.uuidString.lowercased())", summary: summary)
                return group
            }
            return try JSONResponse.make(GroupView(group))
        }
    }

    static func summary(_ group: Group) -> AuditSummary {
        var summary: AuditSummary = [
            "name": .text(group.name), "permissions": .list(group.permissions.map(\.rawValue).sorted()),
            "require_mfa": .text(group.requiresMFA ? "true" : "false"),
        ]
        if !group.scope.isEverywhere { summary["scope"] = .text(group.scope.description) }
        if !group.permissionExpiries.isEmpty {
            summary["permission_expires_at"] = .list(group.permissionExpiries.map { "\($0.key.rawValue) \($0.value)" }.sorted())
        }
        return summary
    }

    private static func permissionSet(_ names: [String]) throws -> Set<Permission> {
        guard names.count <= PermissionCatalogue.entries.count else {
            throw StrongroomError.invalidIdentityValue("permissions", "names more permissions than exist")
        }
        let permissions = Set(names.map(Permission.init(rawValue:)))
        if let unknown = permissions.sorted().first(where: { !PermissionCatalogue.contains($0) }) {
            throw StrongroomError(
                .unknownPermission, "'\(unknown.rawValue.prefix(64))' is not a permission; GET /v1/permissions lists them.",
                fields: [.init(field: "permissions", message: "names an unknown permission")]
            )
        }
        return permissions
    }

    /// The scope a body names. Its existence is checked only after the caller's grants are
    /// (`requireExists`), so a caller cannot learn which organizations exist outside its reach.
    private static func accessScope(_ body: ScopeBody?) throws -> AccessScope {
        guard let body else { return .everywhere }
        guard let organization = FieldRules.normalizedID(body.organizationID) else {
            throw StrongroomError.invalidIdentityValue("scope.organization_id", "names no organization")
        }
        var ledger: String?
        if let raw = body.ledgerID {
            guard let id = FieldRules.normalizedID(raw) else {
                throw StrongroomError.invalidIdentityValue("scope.ledger_id", "names no ledger of that organization")
            }
            ledger = id
        }
        guard let scope = AccessScope(organizationID: organization, ledgerID: ledger) else { throw Problem.internalError }
        return scope
    }

    /// 422 unless the scope's organization (and ledger of it) exists.
    private static func requireExists(_ scope: AccessScope, persistence: Persistence) async throws {
        guard let organization = scope.organizationID else { return }
        guard try await persistence.ledger.find(Organization.self, id: organization, in: .root) != nil else {
            throw StrongroomError.invalidIdentityValue("scope.organization_id", "names no organization")
        }
        if let ledger = scope.ledgerID, try await persistence.ledger.find(Ledger.self, id: ledger, in: .organization(organization)) == nil {
            throw StrongroomError.invalidIdentityValue("scope.ledger_id", "names no ledger of that organization")
        }
    }
}
