import Foundation
import StrongroomKernel

/// A named set of permissions that users (and later machine clients) belong to.
public struct Group: Sendable, Equatable {
    public static let administratorsName = "administrators"

    public let id: UUID
    public let name: String
    public var permissions: Set<Permission>
    /// Built-in groups are created by the service and cannot be renamed or removed.
    public let builtIn: Bool
    public let createdAt: Timestamp

    public init(id: UUID, name: String, permissions: Set<Permission>, builtIn: Bool, createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.permissions = permissions
        self.builtIn = builtIn
        self.createdAt = createdAt
    }
}
