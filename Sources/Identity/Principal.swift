import Foundation

/// The authenticated caller of one request, with the grants its groups give now (not when
/// its token was issued: a revoked grant stops working within the principal cache's
/// lifetime).
public struct Principal: Sendable, Equatable {
    public let id: UUID
    public let kind: PrincipalKind
    public let name: String
    public let groups: [String]
    public let grants: Grants
    public let restriction: TokenRestriction?
    public let tokenID: String
    /// When the token expires (seconds since the epoch): what a revocation must outlive.
    public let tokenExpiresAt: Int64

    public init(
        id: UUID, kind: PrincipalKind, name: String, groups: [String], grants: Grants, restriction: TokenRestriction?,
        tokenID: String, tokenExpiresAt: Int64
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.groups = groups
        self.grants = grants
        self.restriction = restriction
        self.tokenID = tokenID
        self.tokenExpiresAt = tokenExpiresAt
    }

    public var permissions: Set<Permission> { grants.permissions }
}
