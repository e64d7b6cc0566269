import Foundation
import Identity
import StrongroomKernel
import Testing

@Suite("TOTP and the login throttle")
struct TOTPTests {
    /// RFC 6238 appendix B, SHA-1 rows (the 8-digit codes' last six digits are HOTP's
    /// 6-digit codes for the same step).
    static let rfcSecret = Array("12345678901234567890".utf8)

    @Test(arguments: [
        (Int64(59), "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ])
    func theRFCVectorsHold(time: Int64, expected: String) {
        let totp = TOTP(secret: Self.rfcSecret)
        #expect(totp.code(atStep: TOTP.step(at: time), digits: 8) == expected)
        #expect(totp.code(atStep: TOTP.step(at: time)) == String(expected.suffix(6)))
    }

    @Test func aCodeIsAcceptedOneStepEitherSideAndOnlyOnce() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now: Int64 = 1_234_567_890
        let step = TOTP.step(at: now)
        for offset in -1...1 {
            #expect(totp.acceptedStep(for: totp.code(atStep: step + Int64(offset)), at: now, after: 0) == step + Int64(offset))
        }
        #expect(totp.acceptedStep(for: totp.code(atStep: step - 2), at: now, after: 0) == nil)
        #expect(totp.acceptedStep(for: totp.code(atStep: step + 2), at: now, after: 0) == nil)
        // Spent: the same code, or an older one, no longer passes.
        #expect(totp.acceptedStep(for: totp.code(atStep: step), at: now, after: step) == nil)
        #expect(totp.acceptedStep(for: totp.code(atStep: step - 1), at: now, after: step) == nil)
        #expect(totp.acceptedStep(for: totp.code(atStep: step + 1), at: now, after: step) == step + 1)
        for malformed in ["", "12345", "1234567", "12345a", "１２３４５６"] {
            #expect(totp.acceptedStep(for: malformed, at: now, after: 0) == nil)
        }
    }

    @Test func base32RoundTripsAndTheURIsCarryTheSecret() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("mzxw6ytboi") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW6YTBO1") == nil)
        let secret = TOTP.generateSecret()
        #expect(secret.count == 20)
        #expect(Base32.decode(Base32.encode(secret)) == secret)
        let uri = TOTP(secret: secret).provisioningURI(issuer: "Strongroom", account: "alice")
        #expect(uri.hasPrefix("otpauth://totp/Strongroom%3Aalice?secret=\(Base32.encode(secret))&issuer=Strongroom"))
    }

    static let t0 = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)
    static func seconds(_ s: Int64) -> Timestamp { Timestamp(microsecondsSinceEpoch: t0.microsecondsSinceEpoch + s * 1_000_000) }

    @Test func theFirstFailuresAreFreeThenDelaysDoubleUpToFifteenMinutes() {
        for failures in Int64(1)..<LoginThrottle.accountLimit {
            #expect(LoginThrottle.lockEnd(failures: failures, limit: LoginThrottle.accountLimit, at: Self.t0) == nil)
        }
        #expect(LoginThrottle.lockEnd(failures: 5, limit: 5, at: Self.t0) == Self.seconds(1))
        #expect(LoginThrottle.lockEnd(failures: 6, limit: 5, at: Self.t0) == Self.seconds(2))
        #expect(LoginThrottle.lockEnd(failures: 9, limit: 5, at: Self.t0) == Self.seconds(16))
        #expect(LoginThrottle.lockEnd(failures: 40, limit: 5, at: Self.t0) == Self.seconds(900))
        #expect(LoginThrottle.lockEnd(failures: 1_000_000, limit: 20, at: Self.t0) == Self.seconds(900))
    }

    @Test func aLockHoldsUntilItEndsAndAKnownSourcePassesAnAccountLock() {
        let locked = LoginThrottle.Counter(failures: 7, windowStart: Self.t0, lockedUntil: Self.seconds(4))
        #expect(LoginThrottle.decide(account: locked, source: nil, sourceKnown: false, now: Self.t0) == .throttled(retryAfterSeconds: 4))
        #expect(LoginThrottle.decide(account: locked, source: nil, sourceKnown: false, now: Self.seconds(4)) == .proceed)
        // Someone who logged in from here before is not kept out by an attack on the account.
        #expect(LoginThrottle.decide(account: locked, source: nil, sourceKnown: true, now: Self.t0) == .proceed)
        // The source's own lock binds everyone behind it.
        #expect(LoginThrottle.decide(account: nil, source: locked, sourceKnown: true, now: Self.t0) == .throttled(retryAfterSeconds: 4))
        #expect(LoginThrottle.decide(account: nil, source: nil, sourceKnown: false, now: Self.t0) == .proceed)
    }

    @Test func aClientAcceptsItsSecretAndThePreviousOneOnlyWithinTheOverlap() {
        let current = OpaqueSecret.generate().revealed
        let previous = OpaqueSecret.generate().revealed
        var client = MachineClient(
            id: .init(), name: "job", secretHash: OpaqueSecret.hash(current), previousSecretHash: OpaqueSecret.hash(previous),
            previousSecretValidUntil: Self.seconds(60), status: .active, createdAt: Self.t0, updatedAt: Self.t0
        )
        #expect(client.accepts(secret: current, at: Self.t0))
        #expect(client.accepts(secret: previous, at: Self.seconds(59)))
        #expect(!client.accepts(secret: previous, at: Self.seconds(60)))
        #expect(!client.accepts(secret: current + "x", at: Self.t0))
        #expect(!client.accepts(secret: String(repeating: "a", count: 10_000), at: Self.t0))
        client.status = .deleted
        #expect(!client.accepts(secret: current, at: Self.t0))
    }
}
