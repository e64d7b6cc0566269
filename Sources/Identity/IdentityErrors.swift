import StrongroomKernel

extension ErrorCode {
    // Identity and access (SR-1xxx).
    public static let unauthenticated: Self = "SR-1001"
    public static let invalidCredentials: Self = "SR-1002"
    public static let permissionDenied: Self = "SR-1003"
    public static let restrictedToken: Self = "SR-1004"
    public static let invalidUsername: Self = "SR-1005"
    public static let weakPassword: Self = "SR-1006"
    public static let usernameTaken: Self = "SR-1007"
    public static let passwordReused: Self = "SR-1008"
    public static let outOfScope: Self = "SR-1009"
    public static let groupNameTaken: Self = "SR-1010"
    public static let unknownGroup: Self = "SR-1011"
    public static let unknownPermission: Self = "SR-1012"
    public static let grantBeyondOwn: Self = "SR-1013"
    public static let builtInGroup: Self = "SR-1014"
    public static let loginThrottled: Self = "SR-1015"
    public static let secondFactorRequired: Self = "SR-1016"
    public static let invalidSecondFactor: Self = "SR-1017"
    public static let mfaAlreadyEnrolled: Self = "SR-1018"
    public static let mfaNotStarted: Self = "SR-1019"
    public static let identityNotFound: Self = "SR-1020"
    public static let invalidScope: Self = "SR-1021"
}

extension StrongroomError {
    /// The one answer to any token or credential problem: which part failed is logged at
    /// debug level but never told to the caller.
    public static let unauthenticated = StrongroomError(
        .unauthenticated, .unauthorized, "A valid bearer access token is required."
    )
    public static let invalidCredentials = StrongroomError(
        .invalidCredentials, .unauthorized, "The username or password is wrong."
    )
    /// The account needs a TOTP code with its password. Answered only once the password has
    /// been checked, so it does tell the caller the password was right: the throttle bounds
    /// how often anyone can ask.
    public static let secondFactorRequired = StrongroomError(
        .secondFactorRequired, .unauthorized, "This account needs a one-time code: send the username, the password and 'totp'."
    )
    public static let invalidSecondFactor = StrongroomError(
        .invalidSecondFactor, .unauthorized, "The one-time code is wrong, expired or already used."
    )

    public static func identityNotFound(_ what: String) -> StrongroomError {
        StrongroomError(.identityNotFound, .notFound, "\(what) was not found.")
    }

    public static func unknownGroups(_ names: [String], field: String = "groups") -> StrongroomError {
        StrongroomError(
            .unknownGroup, .unprocessable, "No group is named \(names.sorted().map { "'\($0)'" }.joined(separator: ", ")).",
            fields: [.init(field: field, message: "names a group that does not exist")]
        )
    }

    public static func grantBeyondOwn(_ permission: Permission, _ scope: AccessScope) -> StrongroomError {
        StrongroomError(
            .grantBeyondOwn, .forbidden,
            "You cannot give '\(permission.rawValue)' \(scope.isEverywhere ? "everywhere" : "in this scope"): you do not hold it there yourself."
        )
    }
}
