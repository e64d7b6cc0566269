import Foundation
import Hummingbird
import Identity
import StrongroomEdge
import StrongroomKernel

/// What the user, group and client routes share: reading the id in the path, turning group
/// names into groups, list paging, and the rule that an administrator hands out (or takes
/// away) only what it holds itself.
enum AdminSupport {
    static func pathID(_ context: AppRequestContext, _ what: String) throws -> UUID {
        guard let raw = context.parameters.get("id"), let id = UUID(uuidString: raw) else { throw StrongroomError.identityNotFound(what) }
        return id
    }

    /// The named groups, all of which must exist.
    static func groups(named names: [String], store: any IdentityStore) async throws -> [Group] {
        guard names.count <= 100 else { throw StrongroomError.invalidIdentityValue("groups", "may name at most 100 groups") }
        var found: [Group] = []
        var missing: [String] = []
        for name in Set(names).sorted() {
            if let group = try await store.group(name: name) { found.append(group) } else { missing.append(String(name.prefix(64))) }
        }
        guard missing.isEmpty else { throw StrongroomError.unknownGroups(missing) }
        return found
    }

    /// 403 unless the caller holds every grant of every group given.
    static func requireCovering(_ groups: [Group], by principal: Principal?) throws {
        guard let principal else { throw StrongroomError.unauthenticated }
        for group in groups {
            try requireCovering(permissions: group.permissions, in: group.scope, by: principal)
        }
    }

    static func requireCovering(permissions: Set<Permission>, in scope: AccessScope, by principal: Principal?) throws {
        guard let principal else { throw StrongroomError.unauthenticated }
        for permission in permissions.sorted() where !principal.grants.covers(permission, in: scope) {
            throw StrongroomError.grantBeyondOwn(permission, scope)
        }
    }

    /// 422 when a machine client would join a group that grants a sensitive permission: a
    /// client cannot prove a second factor, so such a grant could never work for it. (The
    /// access policy refuses a client every sensitive permission anyway; this says so when
    /// the membership is made rather than on every request after.)
    static func refuseSensitiveForClient(_ joined: [Group]) throws {
        for group in joined {
            guard let permission = group.permissions.sorted().first(where: PermissionCatalogue.sensitive.contains) else { continue }
            let message = "names '\(group.name)', which grants the sensitive '\(permission.rawValue)'; a machine client cannot step up"
            throw StrongroomError(
                .sensitiveForClient, "Field 'groups' \(message).", fields: [.init(field: "groups", message: message)]
            )
        }
    }

    /// The groups whose membership a change touches: those joined and those left.
    static func changed(from old: [Group], to new: [Group]) -> [Group] {
        let oldIDs = Set(old.map(\.id))
        let newIDs = Set(new.map(\.id))
        return new.filter { !oldIDs.contains($0.id) } + old.filter { !newIDs.contains($0.id) }
    }

    /// The expiries a body sets (`group_expires_at`, `permission_expires_at`): a map from a
    /// name to an RFC 3339 time, or null for no expiry. Each time must be ahead of `now` by at
    /// most `AccessExpiry.maxDays`, and each name one that `names` holds once the change is
    /// made. Entries not named keep their stored expiry (`kept`), so a change of the list
    /// cannot make time-limited access permanent by accident.
    static func expiries<Key: Hashable>(
        _ changes: [String: Timestamp?]?, field: String, kept: [Key: Timestamp], names: [Key: String], now: Timestamp
    ) throws -> [Key: Timestamp] {
        var result = kept.filter { names[$0.key] != nil }
        guard let changes else { return result }
        guard changes.count <= maxExpiryEntries else {
            throw StrongroomError.invalidIdentityValue(field, "may name at most \(maxExpiryEntries) entries")
        }
        let keys = Dictionary(names.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        for (name, time) in changes.sorted(by: { $0.key < $1.key }) {
            guard let key = keys[name] else {
                throw StrongroomError.invalidIdentityValue(field, "names '\(name.prefix(64))', which the list does not hold")
            }
            if let time, let refusal = AccessExpiry.refusal(of: time, now: now) {
                throw StrongroomError.invalidIdentityValue(field, "'\(name.prefix(64))' \(refusal.message)")
            }
            result[key] = time
        }
        return result
    }

    /// Applies a PATCH's `groups` and `group_expires_at` to a user's or client's memberships
    /// and answers them as they then stand (unchanged when the body names neither). Joining
    /// or leaving a group the caller does not cover is refused, and a membership the body
    /// keeps without naming keeps its expiry.
    static func changeMemberships(
        of principalID: UUID, kind: PrincipalKind, from memberships: [Membership], to newGroups: [Group]?,
        expiresAt changes: [String: Timestamp?]?, by principal: Principal?, now: Timestamp, store: any IdentityStore
    ) async throws -> [Membership] {
        guard newGroups != nil || changes != nil else { return memberships }
        let groups = memberships.map(\.group)
        let target = newGroups ?? groups
        if let newGroups {
            try requireCovering(changed(from: groups, to: newGroups), by: principal)
            if kind == .client {
                let oldIDs = Set(groups.map(\.id))
                try refuseSensitiveForClient(newGroups.filter { !oldIDs.contains($0.id) })
            }
        }
        let expiries = try expiries(
            changes, field: "group_expires_at",
            kept: Dictionary(memberships.compactMap { m in m.expiresAt.map { (m.group.id, $0) } }, uniquingKeysWith: { a, _ in a }),
            names: Dictionary(target.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }), now: now
        )
        try await store.setMemberships(principalID: principalID, kind: kind, groupIDs: target.map(\.id), expiries: expiries)
        return target.map { Membership(group: $0, expiresAt: expiries[$0.id]) }
    }

    /// The most entries an expiry map may hold: as many as a principal may have groups.
    static let maxExpiryEntries = 100

    /// Memberships' expiries as the user and client views show them: group names to times,
    /// only for the memberships that lapse.
    static func expiryView(_ memberships: [Membership]) -> [String: Timestamp] {
        Dictionary(
            memberships.compactMap { membership in membership.expiresAt.map { (membership.group.name, $0) } },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// A page of an administration list, with the cursor for the next one.
    struct Page<Item: Encodable>: Encodable {
        let items: [Item]
        let nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case items
            case nextCursor = "next_cursor"
        }
    }

    /// `?limit=` from 1 to 1000, 100 when absent.
    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["limit"] else { return 100 }
        guard let value = Int(String(text)), (1...1000).contains(value) else {
            throw StrongroomError.invalidQuery("limit", "must be a whole number from 1 to 1000")
        }
        return value
    }
}

extension StrongroomError {
    /// 422 for a field of an identity body that breaks its rule.
    static func invalidIdentityValue(_ field: String, _ message: String) -> StrongroomError {
        StrongroomError(.invalidScope, "Field '\(field)' \(message).", fields: [.init(field: field, message: message)])
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
