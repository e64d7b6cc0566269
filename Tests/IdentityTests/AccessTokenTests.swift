import Crypto
import Foundation
import Identity
import Secrets
import StrongroomKernel
import Testing

/// The verifier refuses every token that is not exactly one of ours, current and intact.
@Suite("Access tokens")
struct AccessTokenTests {
    static let start = Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000)
    static let settings = TokenSettings(issuer: "strongroom", audience: "strongroom-api", accessLifetimeSeconds: 600)
    static let box = SecretBox(masterKey: MasterKey.generate())
    static let user = UUID()

    static func keyring(_ records: [SigningKeyRecord]) async throws -> SigningKeyring {
        try await SigningKeyring(records: records, box: box)
    }

    static func record(kid: String = "key-1", at: Timestamp = start) throws -> SigningKeyRecord {
        try SigningKeyring.generateRecord(box: box, kid: kid, at: at)
    }

    static func service(_ ring: SigningKeyring, at: Timestamp = start, settings: TokenSettings = settings) -> AccessTokenService {
        AccessTokenService(settings: settings, keyring: ring, clock: FixedClock(at))
    }

    static func segments(_ token: String) -> [String] { token.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }

    static func b64(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func json(_ segment: String) throws -> [String: Any] {
        var s = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        let data = try #require(Data(base64Encoded: s))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func encode(_ object: [String: Any]) throws -> String {
        b64(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    @Test func aFreshTokenVerifiesWithEveryClaim() async throws {
        let tokens = Self.service(try await Self.keyring([Self.record()]))
        let issued = try await tokens.issue(subject: Self.user, kind: .user, restriction: nil)
        let claims = try await tokens.verify(issued.token.revealed)
        #expect(claims == issued.claims)
        #expect(claims.subject == Self.user.uuidString.lowercased())
        #expect(claims.expiresAt - claims.issuedAt == 600)
        let header = try Self.json(Self.segments(issued.token.revealed)[0])
        #expect(header["alg"] as? String == "EdDSA")
        #expect(header["typ"] as? String == "at+jwt")
        #expect(header["kid"] as? String == "key-1")
    }

    @Test func aRestrictedTokenIsShortAndSaysSo() async throws {
        let tokens = Self.service(try await Self.keyring([Self.record()]))
        let issued = try await tokens.issue(subject: Self.user, kind: .user, restriction: .passwordChange)
        #expect(issued.expiresIn == TokenSettings.restrictedLifetimeSeconds)
        #expect(try await tokens.verify(issued.token.revealed).restriction == .passwordChange)
    }

    @Test func expiredAndNotYetValidTokensAreRefused() async throws {
        let ring = try await Self.keyring([Self.record()])
        let issued = try await Self.service(ring).issue(subject: Self.user, kind: .user, restriction: nil)
        await #expect(throws: AccessTokenService.Rejection.expired) {
            try await Self.service(ring, at: Self.start.adding(seconds: 600)).verify(issued.token.revealed)
        }
        await #expect(throws: AccessTokenService.Rejection.notYetValid) {
            try await Self.service(ring, at: Self.start.adding(seconds: -60)).verify(issued.token.revealed)
        }
    }

    @Test func wrongAudienceOrIssuerIsRefused() async throws {
        let ring = try await Self.keyring([Self.record()])
        let issued = try await Self.service(ring).issue(subject: Self.user, kind: .user, restriction: nil)
        let otherAudience = TokenSettings(issuer: "strongroom", audience: "elsewhere", accessLifetimeSeconds: 600)
        await #expect(throws: AccessTokenService.Rejection.wrongAudience) {
            try await Self.service(ring, settings: otherAudience).verify(issued.token.revealed)
        }
        let otherIssuer = TokenSettings(issuer: "someone-else", audience: "strongroom-api", accessLifetimeSeconds: 600)
        await #expect(throws: AccessTokenService.Rejection.wrongIssuer) {
            try await Self.service(ring, settings: otherIssuer).verify(issued.token.revealed)
        }
    }

    @Test func aTamperedPayloadIsRefused() async throws {
        let tokens = Self.service(try await Self.keyring([Self.record()]))
        let parts = Self.segments(try await tokens.issue(subject: Self.user, kind: .user, restriction: .passwordChange).token.revealed)
        var payload = try Self.json(parts[1])
        payload["rst"] = nil
        payload["sub"] = UUID().uuidString.lowercased()
        let forged = [parts[0], try Self.encode(payload), parts[2]].joined(separator: ".")
        await #expect(throws: AccessTokenService.Rejection.badSignature) { try await tokens.verify(forged) }
    }

    @Test func algNoneIsRefused() async throws {
        let tokens = Self.service(try await Self.keyring([Self.record()]))
        let parts = Self.segments(try await tokens.issue(subject: Self.user, kind: .user, restriction: nil).token.revealed)
        let header = try Self.encode(["alg": "none", "typ": "at+jwt", "kid": "key-1"])
        // An unsigned token is refused before its header is even read.
        await #expect(throws: AccessTokenService.Rejection.malformed) { try await tokens.verify("\(header).\(parts[1]).") }
        await #expect(throws: AccessTokenService.Rejection.wrongAlgorithm) { try await tokens.verify("\(header).\(parts[1]).x") }
    }

    @Test func hs256SignedWithThePublicKeyIsRefused() async throws {
        let record = try Self.record()
        let tokens = Self.service(try await Self.keyring([record]))
        let parts = Self.segments(try await tokens.issue(subject: Self.user, kind: .user, restriction: nil).token.revealed)
        let header = try Self.encode(["alg": "HS256", "typ": "at+jwt", "kid": "key-1"])
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(header).\(parts[1])".utf8), using: SymmetricKey(data: record.publicKey))
        await #expect(throws: AccessTokenService.Rejection.wrongAlgorithm) {
            try await tokens.verify("\(header).\(parts[1]).\(Self.b64(mac))")
        }
        // Even with the header claiming EdDSA, an HMAC is not an Ed25519 signature.
        let edHeader = try Self.encode(["alg": "EdDSA", "typ": "at+jwt", "kid": "key-1"])
        let mac2 = HMAC<SHA256>.authenticationCode(for: Array("\(edHeader).\(parts[1])".utf8), using: SymmetricKey(data: record.publicKey))
        await #expect(throws: AccessTokenService.Rejection.badSignature) {
            try await tokens.verify("\(edHeader).\(parts[1]).\(Self.b64(mac2))")
        }
    }

    @Test func unknownOrMissingKidIsRefused() async throws {
        let tokens = Self.service(try await Self.keyring([Self.record()]))
        let parts = Self.segments(try await tokens.issue(subject: Self.user, kind: .user, restriction: nil).token.revealed)
        var header = try Self.json(parts[0])
        header["kid"] = "no-such-key"
        await #expect(throws: AccessTokenService.Rejection.unknownKey) {
            try await tokens.verify([try Self.encode(header), parts[1], parts[2]].joined(separator: "."))
        }
        header["kid"] = nil
        await #expect(throws: AccessTokenService.Rejection.unknownKey) {
            try await tokens.verify([try Self.encode(header), parts[1], parts[2]].joined(separator: "."))
        }
    }

    @Test func aTokenOfAnotherTypeIsRefused() async throws {
        let tokens = Self.service(try await Self.keyring([Self.record()]))
        let parts = Self.segments(try await tokens.issue(subject: Self.user, kind: .user, restriction: nil).token.revealed)
        for typ in ["JWT", "id+jwt", ""] {
            var header = try Self.json(parts[0])
            header["typ"] = typ
            await #expect(throws: AccessTokenService.Rejection.wrongType) {
                try await tokens.verify([try Self.encode(header), parts[1], parts[2]].joined(separator: "."))
            }
        }
    }

    @Test func aTokenFromAnotherKeyringIsRefused() async throws {
        let ours = Self.service(try await Self.keyring([Self.record()]))
        let theirs = Self.service(try await Self.keyring([Self.record()]))  // same kid, different key
        let foreign = try await theirs.issue(subject: Self.user, kind: .user, restriction: nil)
        await #expect(throws: AccessTokenService.Rejection.badSignature) { try await ours.verify(foreign.token.revealed) }
    }

    @Test func garbageIsRefusedWithoutParsing() async throws {
        let tokens = Self.service(try await Self.keyring([Self.record()]))
        for garbage in ["", "a", "a.b", "a.b.c.d", "..", "!!.!!.!!", String(repeating: "a", count: 5000)] {
            await #expect(throws: AccessTokenService.Rejection.self) { try await tokens.verify(garbage) }
        }
    }

    @Test func tokensSignedBeforeARotationStillVerifyAndNewOnesUseTheNewKey() async throws {
        let old = try Self.record(kid: "old", at: Self.start)
        let before = try await Self.service(try await Self.keyring([old])).issue(subject: Self.user, kind: .user, restriction: nil)
        let rotated = Self.service(try await Self.keyring([old, try Self.record(kid: "new", at: Self.start.adding(seconds: 1))]))
        #expect(try await rotated.verify(before.token.revealed).subject == Self.user.uuidString.lowercased())
        let after = try await rotated.issue(subject: Self.user, kind: .user, restriction: nil)
        #expect(try Self.json(Self.segments(after.token.revealed)[0])["kid"] as? String == "new")
    }

    @Test func theJWKSPublishesOnlyPublicKeys() async throws {
        let record = try Self.record()
        let jwks = try await Self.keyring([record]).jwks
        #expect(jwks.count == 1)
        #expect(jwks[0]["x"] == Self.b64(record.publicKey))
        #expect(jwks[0]["d"] == nil)
        #expect(jwks[0]["kty"] == "OKP")
    }
}
