import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import StrongroomKernel
import Synchronization
import Testing

/// An authenticator app for the tests: answers the next unspent one-time code for the
/// server's clock.
///
/// The server accepts the codes of the step before, at and after its own, each once. Codes
/// are taken from the current step on (never the step before: a window that turns between
/// reading the clock and the request would leave it behind), so two are available in each
/// 30-second window; a third waits for the next window on the system clock, and on a clock
/// a test moves is an error (move the clock).
final class TestAuthenticator: Sendable {
    let totp: TOTP
    let clock: any WallClock
    private let lastStep = Mutex<Int64>(.min)

    init(secret: [UInt8], clock: any WallClock) {
        totp = TOTP(secret: secret)
        self.clock = clock
    }

    struct Exhausted: Error, CustomStringConvertible {
        var description: String { "both codes of this 30 s window are spent; move the test's clock on" }
    }

    func code() async throws -> String {
        for attempt in 0..<2 {
            let now = TOTP.step(at: clock.now().secondsSinceEpoch)
            let step: Int64? = lastStep.withLock { last in
                let next = max(last == .min ? now : last + 1, now)
                guard next <= now + 1 else { return nil }
                last = next
                return next
            }
            if let step { return totp.code(atStep: step) }
            guard attempt == 0, clock is SystemClock else { break }
            let wait = TOTP.stepSeconds - clock.now().secondsSinceEpoch % TOTP.stepSeconds + 1
            try await Task.sleep(for: .seconds(wait))
        }
        throw Exhausted()
    }
}

extension TestClientProtocol {
    /// Logs in with a one-time code, expecting success.
    func login(_ username: String, _ password: String, authenticator: TestAuthenticator) async throws -> String {
        let code = try await authenticator.code()
        let response = try await json(
            .post, "/v1/auth/login", body: #"{"username":"\#(username)","password":"\#(password)","totp":"\#(code)"}"#
        )
        #expect(response.status == .ok, "\(response.text)")
        return try #require(try response.object()["access_token"] as? String)
    }

    /// Enrols an authenticator for the holder of `token` (a full or enrolment-restricted
    /// token) and confirms it.
    func enrol(token: String, clock: any WallClock) async throws -> TestAuthenticator {
        let started = try await json(.post, "/v1/auth/mfa/totp", token: token)
        #expect(started.status == .ok, "\(started.text)")
        let encoded = try #require(try started.object()["secret"] as? String)
        let secret = try #require(Base32.decode(encoded))
        let authenticator = TestAuthenticator(secret: secret, clock: clock)
        let confirmed = try await json(.post, "/v1/auth/mfa/totp/confirm", token: token, body: #"{"totp":"\#(try await authenticator.code())"}"#)
        #expect(confirmed.status == .noContent, "\(confirmed.text)")
        return authenticator
    }

    /// Proves a fresh code on top of `token`: the step-up token the sensitive permissions need.
    func elevate(token: String, authenticator: TestAuthenticator) async throws -> String {
        let answer = try await json(.post, "/v1/auth/elevate", token: token, body: #"{"totp":"\#(try await authenticator.code())"}"#)
        #expect(answer.status == .ok, "\(answer.text)")
        return try #require(try answer.object()["access_token"] as? String)
    }

    /// Logs in as a user with no authenticator yet, enrols one and steps up: a token that
    /// may use the sensitive permissions for the step-up lifetime (5 minutes), and the
    /// authenticator for later logins and step-ups. What every administration test starts with.
    func steppedUp(
        _ username: String = "admin", _ password: String = TestServer.adminPassword, clock: any WallClock = SystemClock()
    ) async throws -> (token: String, authenticator: TestAuthenticator) {
        let plain = try await login(username, password).token
        let authenticator = try await enrol(token: plain, clock: clock)
        return (try await elevate(token: plain, authenticator: authenticator), authenticator)
    }
}
