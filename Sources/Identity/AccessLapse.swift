import Foundation
import StrongroomKernel

/// A membership or grant whose `expires_at` has passed and that is still stored: what the
/// lapse sweeper removes, recording one audit record for each.
public struct AccessLapse: Sendable, Equatable {
    public enum Item: Sendable, Equatable {
        /// A user's or client's membership of a group.
        case membership(principalID: UUID, kind: PrincipalKind, groupID: UUID)
        /// A permission the group held (in the group's scope).
        case grant(groupID: UUID, permission: Permission)
    }

    public let item: Item
    public let expiresAt: Timestamp

    public init(_ item: Item, expiresAt: Timestamp) {
        self.item = item
        self.expiresAt = expiresAt
    }

    /// The audit action the lapse is recorded under.
    public var action: String {
        switch item {
        case .membership: "membership.lapse"
        case .grant: "grant.lapse"
        }
    }
}
