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
    /// Until when (seconds since the epoch) the token counts as stepped up for sensitive
    /// permissions (`StepUpPolicy`); nil when it proved no second factor.
    public let elevatedUntil: Int64?
    /// Whether the person has a confirmed authenticator, so could step up: what a refusal
    /// tells them to do next.
    public let secondFactorEnrolled: Bool

    public init(
        id: UUID, kind: PrincipalKind, name: String, groups: [String], grants: Grants, restriction: TokenRestriction?,
        tokenID: String, tokenExpiresAt: Int64, elevatedUntil: Int64? = nil, secondFactorEnrolled: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.groups = groups
        self.grants = grants
        self.restriction = restriction
        self.tokenID = tokenID
        self.tokenExpiresAt = tokenExpiresAt
        self.elevatedUntil = elevatedUntil
        self.secondFactorEnrolled = secondFactorEnrolled
    }

    public var permissions: Set<Permission> { grants.permissions }
}
