import StrongroomKernel

/// When a caller counts as stepped up: it proved a second factor (a one-time code, `otp`, or
/// an outside issuer's `mfa`) no more than `lifetimeSeconds` ago. A sensitive permission
/// (`PermissionCatalogue.sensitive`) works only for a caller that is.
///
/// One rule for both kinds of token. Ours say what was proved and when in `amr` and
/// `auth_time`: a login with a code, and `POST /v1/auth/elevate`, prove `otp`; a refreshed
/// token and a machine client's prove nothing. An outside issuer's say the same in the same
/// claims.
public struct StepUpPolicy: Sendable, Equatable {
    /// How long a proof lasts, as an operator may set it (`elevationLifetime`).
    public static let allowedLifetimes: ClosedRange<Int64> = 60...900
    public static let defaultLifetimeSeconds: Int64 = 300
    /// What our own tokens say was proved: the password, and a one-time code.
    public static let passwordMethod = "pwd"
    public static let oneTimeCodeMethod = "otp"
    /// The `amr` values (RFC 8176) that are a second factor: a one-time code, or an outside
    /// issuer's word that more than one factor was used.
    public static let secondFactorMethods: Set<String> = [oneTimeCodeMethod, "mfa"]

    public let lifetimeSeconds: Int64

    /// A lifetime outside `allowedLifetimes` is brought to its nearest end (the configuration
    /// refuses one before it gets here).
    public init(lifetimeSeconds: Int64 = defaultLifetimeSeconds) {
        self.lifetimeSeconds = min(max(lifetimeSeconds, Self.allowedLifetimes.lowerBound), Self.allowedLifetimes.upperBound)
    }

    /// Until when (seconds since the epoch) a caller who proved `methods` at `authenticatedAt`
    /// is stepped up; nil when no second factor is among them.
    public func elevatedUntil(methods: [String], authenticatedAt: Int64?) -> Int64? {
        guard methods.contains(where: Self.secondFactorMethods.contains) else { return nil }
        return elevatedUntil(secondFactorAt: authenticatedAt)
    }

    /// Until when a caller known to have proved a second factor at `secondFactorAt` is
    /// stepped up; nil when the time is unknown.
    public func elevatedUntil(secondFactorAt: Int64?) -> Int64? {
        guard let secondFactorAt else { return nil }
        let (end, overflow) = secondFactorAt.addingReportingOverflow(lifetimeSeconds)
        return overflow ? nil : end
    }

    /// Why `principal` may not use `permission` now (seconds since the epoch), or nil when it
    /// may: the permission is not sensitive, or the principal is stepped up.
    public static func refusal(_ permission: Permission, for principal: Principal, at now: Int64) -> StrongroomError? {
        guard PermissionCatalogue.sensitive.contains(permission) else { return nil }
        // A machine client is refused even if a forged or mistaken claim made it look stepped
        // up; a user whose authenticator was reset since has nothing left to have proved it with.
        let canBeSteppedUp = principal.kind == .external || (principal.kind == .user && principal.secondFactorEnrolled)
        if canBeSteppedUp, let until = principal.elevatedUntil, now < until { return nil }
        let name = "'\(permission.rawValue)' is sensitive"
        switch principal.kind {
        case .client:
            return StrongroomError(.stepUpRequired, "\(name): it needs a second factor, which a machine client cannot prove.")
        case .external:
            return StrongroomError(
                .stepUpRequired, "\(name): sign in again at your identity provider with a second factor, and use the token it issues."
            )
        case .user where !principal.secondFactorEnrolled:
            return StrongroomError(
                .secondFactorNotEnrolled,
                "\(name) and needs step-up, which needs an authenticator: enrol with POST /v1/auth/mfa/totp, then …/confirm."
            )
        case .user:
            return StrongroomError(
                .stepUpRequired, "\(name): prove a second factor with POST /v1/auth/elevate and use the token it answers."
            )
        }
    }
}
