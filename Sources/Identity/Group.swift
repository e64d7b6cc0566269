import Foundation
import StrongroomKernel

/// A named set of permissions, optionally confined to one organization or ledger, that users
/// and machine clients belong to.
public struct Group: Sendable, Equatable {
    public static let administratorsName = "administrators"

    public let id: UUID
    public var name: String
    public var permissions: Set<Permission>
    /// Where the permissions apply; `.everywhere` unless the group is scoped.
    public var scope: AccessScope
    /// Members must log in with a second factor (and enrol in one first).
    public var requiresMFA: Bool
    /// Built-in groups are created by the service; their name, grants and scope are fixed.
    public let builtIn: Bool
    public let createdAt: Timestamp
    /// When each time-limited grant lapses; a permission not named here does not lapse.
    public var permissionExpiries: [Permission: Timestamp]

    public init(
        id: UUID, name: String, permissions: Set<Permission>, scope: AccessScope = .everywhere, requiresMFA: Bool = false,
        builtIn: Bool, createdAt: Timestamp, permissionExpiries: [Permission: Timestamp] = [:]
    ) {
        self.id = id
        self.name = name
        self.permissions = permissions
        self.scope = scope
        self.requiresMFA = requiresMFA
        self.builtIn = builtIn
        self.createdAt = createdAt
        self.permissionExpiries = permissionExpiries
    }

    /// The group as it grants at `now`: without the permissions whose grant has lapsed, so a
    /// lapse takes effect at resolution, whether or not the sweeper has removed it yet.
    public func inForce(at now: Timestamp) -> Group {
        var group = self
        group.permissions = permissions.filter { AccessExpiry.isInForce(permissionExpiries[$0], at: now) }
        group.permissionExpiries = permissionExpiries.filter { group.permissions.contains($0.key) }
        return group
    }

    /// Group names: lower-case letters, digits and `._-`, 1–64 characters, starting with a
    /// letter or digit.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, (1...64).contains(name.unicodeScalars.count) else { return false }
        let allowed: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return allowed(first) && name.unicodeScalars.allSatisfy { allowed($0) || "._-".unicodeScalars.contains($0) }
    }
}
