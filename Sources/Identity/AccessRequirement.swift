/// What a route demands of its caller. Every route declares one beside its registration;
/// there is no default.
public enum AccessRequirement: Sendable, Hashable, CustomStringConvertible {
    /// No token needed (health, version, login, the contract document, the JWKS).
    case publicRoute
    /// Any valid token; `allowing` lists the restricted tokens that may also pass.
    case authenticated(allowing: Set<TokenRestriction> = [])
    /// A valid, unrestricted token whose principal holds the permission in a scope that
    /// reaches the request's target (the organization and ledger in its path).
    case permission(Permission)
    /// A listing across organizations: any grant of the permission opens it, and the handler
    /// shows only the organizations the grants reach.
    case listing(Permission)

    /// The permission the route needs, if any.
    public var permission: Permission? {
        switch self {
        case .permission(let p), .listing(let p): p
        case .publicRoute, .authenticated: nil
        }
    }

    public var description: String {
        switch self {
        case .publicRoute: "public"
        case .authenticated(let allowing) where allowing.isEmpty: "authenticated"
        case .authenticated(let allowing): "authenticated (also \(allowing.map(\.rawValue).sorted().joined(separator: ", ")))"
        case .permission(let p): p.rawValue
        case .listing(let p): "\(p.rawValue) (any scope, filtered)"
        }
    }
}
