import StrongroomKernel

/// The pure access decision for one request: deny by default.
public enum AccessPolicy {
    public enum Decision: Sendable, Equatable {
        case allow
        /// No principal, or its token was not valid: 401.
        case unauthenticated
        /// A valid principal that may not do this: 403.
        case denied(StrongroomError)
    }

    public static func decide(_ requirement: AccessRequirement, for principal: Principal?) -> Decision {
        if case .publicRoute = requirement { return .allow }
        guard let principal else { return .unauthenticated }
        if let restriction = principal.restriction {
            guard case .authenticated(let allowing) = requirement, allowing.contains(restriction) else {
                return .denied(StrongroomError(
                    .restrictedToken, .forbidden,
                    restriction == .passwordChange
                        ? "This token may only change the account's password (POST /v1/auth/password)."
                        : "This token may only enrol in multi-factor authentication."
                ))
            }
            return .allow
        }
        switch requirement {
        case .publicRoute, .authenticated:
            return .allow
        case .permission(let permission):
            guard principal.permissions.contains(permission) else {
                return .denied(StrongroomError(
                    .permissionDenied, .forbidden, "This operation needs the permission '\(permission.rawValue)'."
                ))
            }
            return .allow
        }
    }
}
