import StrongroomKernel

extension StrongroomError {
    /// The one answer to any token or credential problem: which part failed is logged at
    /// debug level but never told to the caller.
    public static let unauthenticated = StrongroomError(
        .unauthenticated, "A valid bearer access token is required."
    )
    public static let invalidCredentials = StrongroomError(
        .invalidCredentials, "The username or password is wrong."
    )
    /// The account needs a TOTP code with its password. Answered only once the password has
    /// been checked, so it does tell the caller the password was right: the throttle bounds
    /// how often anyone can ask.
    public static let secondFactorRequired = StrongroomError(
        .secondFactorRequired, "This account needs a one-time code: send the username, the password and 'totp'."
    )
    public static let invalidSecondFactor = StrongroomError(
        .invalidSecondFactor, "The one-time code is wrong, expired or already used."
    )

    public static func identityNotFound(_ what: String) -> StrongroomError {
        StrongroomError(.identityNotFound, "\(what) was not found.")
    }

    public static func unknownGroups(_ names: [String], field: String = "groups") -> StrongroomError {
        StrongroomError(
            .unknownGroup, "No group is named \(names.sorted().map { "'\($0)'" }.joined(separator: ", ")).",
            fields: [.init(field: field, message: "names a group that does not exist")]
        )
    }

    public static func grantBeyondOwn(_ permission: Permission, _ scope: AccessScope) -> StrongroomError {
        StrongroomError(
            .grantBeyondOwn,
            "You cannot give '\(permission.rawValue)' \(scope.isEverywhere ? "everywhere" : "in this scope"): you do not hold it there yourself."
        )
    }
}
