import StrongroomKernel

/// The pure access decision for one request: deny by default.
public enum AccessPolicy {
    public enum Decision: Sendable, Equatable {
        case allow
        /// No principal, or its token was not valid: 401.
        case unauthenticated
        /// A valid principal that may not do this (here): 403.
        case denied(StrongroomError)
    }

    /// `now` is seconds since the epoch, against which a step-up is read: a sensitive
    /// permission (`PermissionCatalogue.sensitive`) also needs the principal stepped up.
    public static func decide(
        _ requirement: AccessRequirement, for principal: Principal?, on target: AccessTarget, at now: Int64
    ) -> Decision {
        if case .publicRoute = requirement { return .allow }
        guard let principal else { return .unauthenticated }
        if let restriction = principal.restriction {
            guard case .authenticated(let allowing) = requirement, allowing.contains(restriction) else {
                return .denied(StrongroomError(
                    .restrictedToken,
                    restriction == .passwordChange
                        ? "This token may only change the account's password (POST /v1/auth/password)."
                        : "This token may only enrol in multi-factor authentication (POST /v1/auth/mfa/totp, then …/confirm)."
                ))
            }
            return .allow
        }
        switch requirement {
        case .publicRoute, .authenticated:
            return .allow
        case .permission(let permission):
            if principal.grants.allows(permission, on: target) { return steppedUp(permission, principal, now) }
            // Holding the permission elsewhere is still a 403, and says no more than that.
            return .denied(principal.permissions.contains(permission) ? outOfScope(permission) : missing(permission))
        case .listing(let permission):
            return principal.permissions.contains(permission) ? steppedUp(permission, principal, now) : .denied(missing(permission))
        }
    }

    /// A granted permission: allowed, unless it is sensitive and the principal is not stepped
    /// up. Asked only after the grant, so a caller without the permission hears only that.
    private static func steppedUp(_ permission: Permission, _ principal: Principal, _ now: Int64) -> Decision {
        StepUpPolicy.refusal(permission, for: principal, at: now).map(Decision.denied) ?? .allow
    }

    static func missing(_ permission: Permission) -> StrongroomError {
        StrongroomError(.permissionDenied, "This operation needs the permission '\(permission.rawValue)'.")
    }

    public static func outOfScope(_ permission: Permission) -> StrongroomError {
        StrongroomError(
            .outOfScope, "The permission '\(permission.rawValue)' is not granted for this organization or ledger."
        )
    }
}
