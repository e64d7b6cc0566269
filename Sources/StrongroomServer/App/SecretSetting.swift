import Foundation
import Identity
import Secrets
import Storage
import StrongroomKernel

/// A setting whose value is a secret. Every one is declared once, in `all`: the loader
/// redacts those keys and reads their `…_FILE` form from that list, and production walks it
/// to refuse a known default or weak value. A secret a later change adds goes here, and is
/// then checked everywhere without another edit.
struct SecretSetting: Sendable {
    /// How a weak value is told apart.
    enum Kind: Sendable {
        /// A password: at least the password policy's minimum length, not a handful repeated.
        case password
        /// A 256-bit key (hex or base64): its bytes must look random.
        case key
    }

    /// The configuration key (`masterKey`), as the loader reads it.
    let key: String
    /// How a refusal names it: never with its value.
    let name: String
    let kind: Kind
    /// The secret in a resolved configuration, nil when unset (a URL's password only).
    let value: @Sendable (ServerConfiguration) -> String?

    static let all: [SecretSetting] = [
        SecretSetting(key: "masterKey", name: "STRONGROOM_MASTER_KEY", kind: .key) { $0.masterKey?.revealed },
        SecretSetting(key: "bootstrapAdminPassword", name: "STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD", kind: .password) {
            $0.bootstrapAdminPassword?.revealed
        },
        SecretSetting(key: "databaseUrl", name: "the password in --database-url (STRONGROOM_DATABASE_URL)", kind: .password) {
            $0.databaseURL.password?.revealed
        },
        SecretSetting(key: "databaseOwnerUrl", name: "the password in --database-owner-url (STRONGROOM_DATABASE_OWNER_URL)", kind: .password) {
            $0.databaseOwnerURL.password?.revealed
        },
        SecretSetting(key: "auditCheckpointKey", name: "STRONGROOM_AUDIT_CHECKPOINT_KEY", kind: .key) { $0.auditCheckpointKey?.revealed },
    ]

    /// Fewer distinct byte values than this in 32 bytes is a pattern, not a random key: a
    /// random key has about 30, and fewer than 8 comes up with odds below 2^-100.
    static let minimumDistinctKeyBytes = 8

    /// Why production refuses this setting's value in `config`, in one line that names the
    /// setting and never shows the value; nil when it is unset or acceptable.
    func refusal(in config: ServerConfiguration) -> String? {
        guard let value = value(config) else { return nil }
        if Self.isKnownDefault(value, kind: kind) {
            return "\(name) is a known default or example value; production needs a real secret"
        }
        switch kind {
        case .password:
            guard value.count >= PasswordPolicy.minimumLength, Set(value).count >= 4 else {
                return "\(name) is too weak: production needs at least \(PasswordPolicy.minimumLength) characters, not a few repeated"
            }
        case .key:
            // A value that is not a key at all is refused where it is used, with its own line.
            if let bytes = MasterKey.keyBytes(value), Set(bytes).count < Self.minimumDistinctKeyBytes {
                return "\(name) is a byte pattern, not a random key; production needs 32 random bytes"
            }
        }
        return nil
    }

    /// A key is compared by its bytes too, so the examples are caught whether written in
    /// hex (either case) or base64.
    private static func isKnownDefault(_ value: String, kind: Kind) -> Bool {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if KnownDefaultSecrets.contains(value) || KnownDefaultSecrets.contains(trimmed) { return true }
        guard kind == .key, let bytes = MasterKey.keyBytes(value) else { return false }
        return KnownDefaultSecrets.contains(Hex.string(bytes)) || KnownDefaultSecrets.contains(Data(bytes).base64EncodedString())
    }
}
