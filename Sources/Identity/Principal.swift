import Foundation

/// The authenticated caller of one request, with the permissions its groups grant now (not
/// when its token was issued: a revoked grant stops working within the principal cache's
/// lifetime).
public struct Principal: Sendable, Equatable {
    public let id: UUID
    public let kind: PrincipalKind
    public let name: String
    public let groups: [String]
    public let permissions: Set<Permission>
    public let restriction: TokenRestriction?
    public let tokenID: String

    public init(
        id: UUID, kind: PrincipalKind, name: String, groups: [String], permissions: Set<Permission>,
        restriction: TokenRestriction?, tokenID: String
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.groups = groups
        self.permissions = permissions
        self.restriction = restriction
        self.tokenID = tokenID
    }
}
