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
}
