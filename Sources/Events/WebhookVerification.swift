/// What `WebhookSignature.verify` found. Only `valid` may be acted on.
public enum WebhookVerification: Equatable, Sendable {
    /// A `v1` signature matches one of the receiver's secrets and the timestamp is within
    /// `WebhookSignature.toleranceSeconds` of now.
    case valid
    /// The header does not follow the scheme: no or several `t`, a `t` that is not decimal
    /// seconds, no `v1`, a `v1` that is not 64 lower-case hex digits, too long a header or too
    /// many signatures.
    case malformed
    /// Well formed, but no `v1` matches any secret for this body and timestamp: the body or the
    /// timestamp was changed, or the secret is not the one it was signed with.
    case mismatch
    /// Signed with a secret the receiver holds, but the timestamp is more than
    /// `WebhookSignature.toleranceSeconds` before or after now: a replay, or a clock far off.
    case stale
}
