/// What a principal may do, and where: the union of its groups' (permission, scope) pairs.
public struct Grants: Sendable, Equatable {
    private let scopes: [Permission: Set<AccessScope>]

    public init(_ pairs: [(Permission, AccessScope)]) {
        var scopes: [Permission: Set<AccessScope>] = [:]
        for (permission, scope) in pairs { scopes[permission, default: []].insert(scope) }
        self.scopes = scopes
    }

    public init(groups: [Group]) {
        self.init(groups.flatMap { group in group.permissions.map { ($0, group.scope) } })
    }

    public static let none = Grants([])

    /// Every permission held somewhere.
    public var permissions: Set<Permission> { Set(scopes.keys) }

    public func scopes(of permission: Permission) -> Set<AccessScope> { scopes[permission] ?? [] }

    /// Whether the permission is held in a scope that reaches `target`.
    public func allows(_ permission: Permission, on target: AccessTarget) -> Bool {
        scopes[permission]?.contains { $0.covers(target) } ?? false
    }

    /// Whether a grant of `permission` in `scope` would give nothing these grants lack: an
    /// administrator may hand out only what it holds, no wider.
    public func covers(_ permission: Permission, in scope: AccessScope) -> Bool {
        scopes[permission]?.contains { scope.isWithin($0) } ?? false
    }

    /// The organizations a listing of `permission` may show: nil for all of them (a global
    /// grant), else the organizations the grants name.
    public func organizations(for permission: Permission) -> Set<String>? {
        let held = scopes[permission] ?? []
        if held.contains(where: \.isEverywhere) { return nil }
        return Set(held.compactMap(\.organizationID))
    }
}
