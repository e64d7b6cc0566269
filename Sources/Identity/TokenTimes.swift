/// The time claims of an access token, ours or an outside issuer's, checked one way: not
/// expired, not before its `nbf` or issued in the future (with the allowed clock skew), and
/// living no longer than the issuer may make it live. Seconds since the epoch.
struct TokenTimes {
    let expiresAt: Int64
    let issuedAt: Int64
    let notBefore: Int64

    func check(at now: Int64, maxLifetime: Int64) throws(AccessTokenService.Rejection) {
        let skew = TokenSettings.clockSkewSeconds
        guard now < expiresAt else { throw .expired }
        guard notBefore <= now + skew else { throw .notYetValid }
        guard issuedAt <= now + skew else { throw .issuedInFuture }
        guard expiresAt - issuedAt <= maxLifetime else { throw .lifetimeTooLong }
    }
}
