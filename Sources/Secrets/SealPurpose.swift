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

extension SealPurpose {
    /// A stored idempotent response that carries a secret (a client secret, a TOTP secret);
    /// the record's scope is the context, so a sealed answer does not open on another row.
    public static let idempotencyResponse = SealPurpose(rawValue: "idempotency.response")
    /// The key of the HMAC-SHA256 that idempotency keeps of a request's body, so a stored
    /// digest of a body that held a password cannot be checked against guesses offline.
    public static let idempotencyRequestDigest = SealPurpose(rawValue: "idempotency.request-digest")
}

extension SealPurpose {
    /// The HMAC key of the holders' erasure record, which lives outside the database
    /// (`HolderErasureKey`): each line is authenticated with it.
    public static let holderErasureRecord = SealPurpose(rawValue: "holders.erasure-record")
}
