/// A token that opens only one narrow set of routes: given to an account that must change
/// its password (or, later, enrol in MFA) before it may do anything else.
public enum TokenRestriction: String, Sendable, Hashable, Codable {
    case passwordChange = "password_change"
    case mfaEnrollment = "mfa_enrollment"
}
