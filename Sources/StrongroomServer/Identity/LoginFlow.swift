import Foundation
import Identity
import Secrets
import Storage
import StrongroomKernel

/// Password login as API.md describes it: the throttle first (shared counters, no password
/// check while locked), then the password, then the second factor, then what kind of token
/// the account may have. The decisions are `LoginThrottle`'s and `TOTP`'s; this applies
/// them against the store.
struct LoginFlow: Sendable {
    let persistence: Persistence
    let login: LoginService
    let box: SecretBox
    let clock: any WallClock
    /// Who must have a second factor: a person it names who has not enrolled gets only a
    /// token restricted to enrolment (in production every person, by default).
    let secondFactor: SecondFactorPolicy
    /// Counts failures and throttled attempts here, where they are decided; the route counts
    /// successes once their session has committed.
    let metrics: SecurityMetrics
    let lockedSources = LockedSources()

    enum Result: Sendable {
        case authenticated(User, TokenRestriction?)
        case throttled(retryAfterSeconds: Int64)
    }

    /// Who is trying from where, as the throttle and the audit trail name them, and whether
    /// to log in or to step up (only logins are counted in the login metrics).
    struct Attempt: Sendable {
        let pseudonym: String
        let source: String
        let isLogin: Bool

        var accountKey: String { LoginThrottle.accountKey(pseudonym: pseudonym) }
        var sourceKey: String { LoginThrottle.sourceKey(address: source) }
    }

    func attempt(for username: String, from address: String?, isLogin: Bool = true) -> Attempt {
        Attempt(
            pseudonym: box.pseudonym(username.lowercased(), purpose: .auditPseudonym), source: address ?? "unknown", isLogin: isLogin
        )
    }

    func run(_ attempt: Attempt, username: String, password: String, totp: String?) async throws -> Result {
        if let seconds = try await throttled(attempt) { return .throttled(retryAfterSeconds: seconds) }
        let store = persistence.identity
        let user: User
        do {
            user = try await login.authenticate(username: username, password: password, store: store)
        } catch let error as StrongroomError where error == .invalidCredentials {
            try await countFailure(attempt)
            throw error
        }
        let groups = try await store.groups(of: user.id, kind: .user)
        let needsMFA = user.mfaEnrolled || secondFactor.personNeedsSecondFactor(groups: groups)
        if user.mfaEnrolled {
            guard let totp else { throw StrongroomError.secondFactorRequired }
            try await proveCode(totp, userID: user.id, attempt: attempt)
        }
        let restriction: TokenRestriction? =
            if user.mustChangePassword { .passwordChange } else if needsMFA && !user.mfaEnrolled { .mfaEnrollment } else { nil }
        return .authenticated(user, restriction)
    }

    /// How many seconds `attempt` must wait before the throttle lets it try a secret, or nil
    /// when it may try now. Login and step-up share it: a code guessed at either counts
    /// against the same account and source.
    func throttled(_ attempt: Attempt) async throws -> Int64? {
        let store = persistence.identity
        let now = clock.now()
        if let until = lockedSources.lockedUntil(attempt.sourceKey, now: now) {
            if attempt.isLogin { metrics.countLogin(.throttled) }
            return (until.microsecondsSinceEpoch - now.microsecondsSinceEpoch + 999_999) / 1_000_000
        }
        let counters = try await store.loginCounters(keys: [attempt.accountKey, attempt.sourceKey])
        if let source = counters[attempt.sourceKey], source.lockedUntil > now {
            lockedSources.remember(attempt.sourceKey, lockedUntil: source.lockedUntil, now: now)
        }
        var known = false
        if let account = counters[attempt.accountKey], account.lockedUntil > now {
            known = try await store.isKnownLoginSource(
                account: attempt.pseudonym, source: attempt.source,
                since: Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - LoginThrottle.knownSourceMicroseconds)
            )
        }
        let decision = LoginThrottle.decide(
            account: counters[attempt.accountKey], source: counters[attempt.sourceKey], sourceKnown: known, now: now
        )
        if case .throttled(let seconds) = decision {
            if attempt.isLogin { metrics.countLogin(.throttled) }
            return seconds
        }
        return nil
    }

    /// Spends `code` as the user's current one-time code, or counts a failure against
    /// `attempt` and throws: the one check login and step-up make.
    func proveCode(_ code: String, userID: UUID, attempt: Attempt) async throws {
        guard try await spendCode(code, userID: userID) else {
            try await countFailure(attempt)
            throw StrongroomError.invalidSecondFactor
        }
    }

    /// A success forgives the account's failures and vouches for the source; the source's
    /// own counter stands (logging in to one's own account must not reset an attack from
    /// the same address on others). `store` is the login's unit of work.
    func succeeded(_ attempt: Attempt, store: any IdentityStore) async throws {
        try await store.clearLoginCounter(key: attempt.accountKey)
        try await store.rememberLoginSource(account: attempt.pseudonym, source: attempt.source, at: clock.now())
    }

    /// Whether `code` is the user's current TOTP code, spending it (and every older one) for
    /// all processes when it is.
    func spendCode(_ code: String, userID: UUID) async throws -> Bool {
        guard let enrollment = try await persistence.identity.totp(userID: userID) else { return false }
        let secret = try box.open(enrollment.sealedSecret, purpose: .totpSecret, context: userID.uuidString.lowercased())
        guard let step = TOTP(secret: secret).acceptedStep(
            for: code, at: clock.now().secondsSinceEpoch, after: enrollment.lastUsedStep
        ) else { return false }
        return try await persistence.write { work in try await work.identity.spendTOTPStep(userID: userID, step: step) }
    }

    private func countFailure(_ attempt: Attempt) async throws {
        try await persistence.write { work in
            let now = clock.now()
            for (key, limit) in [(attempt.accountKey, LoginThrottle.accountLimit), (attempt.sourceKey, LoginThrottle.sourceLimit)] {
                let counter = try await work.identity.recordLoginFailure(key: key, at: now)
                if let end = LoginThrottle.lockEnd(failures: counter.failures, limit: limit, at: now) {
                    try await work.identity.extendLoginLock(key: key, until: end)
                }
            }
        }
        if attempt.isLogin { metrics.countLogin(.failure) }
    }
}
