import Metrics
import StrongroomEdge

/// The counters an operator watches for attacks on the API and for its health: logins by
/// outcome, token requests, refresh-token reuse and access denials (docs/SECURITY.md,
/// "Metrics"; responses by status class are the edge's `ResponseMetrics`).
///
/// Every labelled series is created once, when the server is prepared, against the factory
/// it is given (the server's own Prometheus registry, never the process-wide
/// `MetricsSystem`: a test process runs many servers, and each must count only its own).
/// So each series is exported at 0 before anything has happened, and counting a request is
/// a lookup and an atomic add. Label values come only from the fixed sets below, never from
/// a request: no name, address or path can reach a label.
final class SecurityMetrics: Sendable {
    enum LoginOutcome: String, CaseIterable, Sendable {
        /// An unrestricted token.
        case success
        /// Wrong credentials or a wrong second factor: what the throttle counts.
        case failure
        /// Answered 429 without checking the password.
        case throttled
        /// The right password, answered with a token restricted to a password change or MFA
        /// enrolment.
        case restricted
    }

    enum GrantType: String, CaseIterable, Sendable {
        case refreshToken = "refresh_token"
        case clientCredentials = "client_credentials"
    }

    enum TokenOutcome: String, CaseIterable, Sendable {
        case success, failure
    }

    enum DenialReason: String, CaseIterable, Sendable {
        /// No valid token: 401.
        case unauthenticated
        /// A valid token without the route's permission (or with a restricted one): 403.
        case forbidden
    }

    static let loginAttemptsName = "strongroom_login_attempts_total"
    static let tokenRequestsName = "strongroom_token_requests_total"
    static let refreshTokenReuseName = "strongroom_refresh_token_reuse_total"
    static let accessDeniedName = "strongroom_access_denied_total"

    private let logins: [LoginOutcome: Counter]
    private let tokenRequests: [GrantType: [TokenOutcome: Counter]]
    private let refreshTokenReuse: Counter
    private let denials: [DenialReason: Counter]

    init(factory: any MetricsFactory) {
        func counter(_ name: String, _ dimensions: [(String, String)] = []) -> Counter {
            Counter(label: name, dimensions: dimensions, factory: factory)
        }
        func series<Label: RawRepresentable<String> & CaseIterable & Hashable>(
            _ name: String, _ dimension: String, _: Label.Type, extra: [(String, String)] = []
        ) -> [Label: Counter] {
            Dictionary(uniqueKeysWithValues: Label.allCases.map { ($0, counter(name, extra + [(dimension, $0.rawValue)])) })
        }
        logins = series(Self.loginAttemptsName, "outcome", LoginOutcome.self)
        tokenRequests = Dictionary(uniqueKeysWithValues: GrantType.allCases.map { grant in
            (grant, series(Self.tokenRequestsName, "outcome", TokenOutcome.self, extra: [("grant_type", grant.rawValue)]))
        })
        refreshTokenReuse = counter(Self.refreshTokenReuseName)
        denials = series(Self.accessDeniedName, "reason", DenialReason.self)
    }

    func countLogin(_ outcome: LoginOutcome) {
        logins[outcome]?.increment()
    }

    func countTokenRequest(_ grant: GrantType, _ outcome: TokenOutcome) {
        tokenRequests[grant]?[outcome]?.increment()
    }

    /// A spent refresh token was presented again, and its family revoked.
    func countRefreshTokenReuse() {
        refreshTokenReuse.increment()
    }

    func countDenial(_ reason: DenialReason) {
        denials[reason]?.increment()
    }
}
