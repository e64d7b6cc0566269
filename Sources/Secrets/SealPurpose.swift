/// What a sealed value is for; part of the key derivation and of the authenticated data.
public struct SealPurpose: RawRepresentable, Hashable, Sendable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let signingKey = SealPurpose(rawValue: "identity.signing-key")
    /// A user's TOTP secret (the user id is the context).
    public static let totpSecret = SealPurpose(rawValue: "identity.totp-secret")
}

extension SealPurpose {
    /// Keyed pseudonyms in the audit trail (a username that failed to log in).
    public static let auditPseudonym = SealPurpose(rawValue: "audit.pseudonym")
    /// The Ed25519 key that signs audit checkpoints, when no key file is given.
    public static let auditCheckpointKey = SealPurpose(rawValue: "audit.checkpoint-key")
}
