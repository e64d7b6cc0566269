import Secrets
import StrongroomKernel

/// What a new password must be: 12–128 characters, not the username, not a known default
/// or common password.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 128

    public static func check(_ password: String, username: Username, field: String = "new_password") throws(StrongroomError) {
        let length = password.count
        guard length >= minimumLength, length <= maximumLength else {
            throw weak(field, "A password is \(minimumLength) to \(maximumLength) characters long.")
        }
        let folded = password.lowercased()
        guard folded != username.value, !folded.contains(username.value) || username.value.count < 4 else {
            throw weak(field, "A password may not contain the username.")
        }
        guard !KnownDefaultSecrets.contains(password), Set(password).count >= 4 else {
            throw weak(field, "That password is a known default or too simple; choose another.")
        }
    }

    private static func weak(_ field: String, _ detail: String) -> StrongroomError {
        StrongroomError(.weakPassword, detail, fields: [.init(field: field, message: detail)])
    }
}
