import Crypto
import Foundation
import Identity
import StrongroomKernel
import Testing

/// The pure parts of trusting an outside identity provider: which key sets are accepted, how
/// the group map reads, the id an outside subject gets, and which groups need a second factor.
@Suite("Outside issuer: keys, map and principal")
struct ExternalIssuerConfigTests {
    /// A fresh public key each time, as a JWK.
    static var ecKey: [String: Any] {
        let raw = Array(P256.Signing.PrivateKey().publicKey.rawRepresentation)
        return ["kty": "EC", "crv": "P-256", "kid": "ec-1", "x": b64(raw.prefix(32)), "y": b64(raw.suffix(32))]
    }
    static var edKey: [String: Any] {
        ["kty": "OKP", "crv": "Ed25519", "kid": "ed-1", "x": b64(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)]
    }

    static func b64(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func keySet(_ keys: [[String: Any]]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: ["keys": keys]))
    }

    @Test func aKeySetOfPublicSigningKeysIsReadWithEachKeyPinned() async throws {
        var ec = Self.ecKey
        ec["use"] = "sig"
        ec["alg"] = "ES256"
        let set = try await ExternalKeySet(json: try Self.keySet([ec, Self.edKey]))
        #expect(set.keyIDs == ["ec-1", "ed-1"])
    }

    @Test func unsafeOrBrokenKeySetsAreRefused() async throws {
        func with(_ base: [String: Any], _ change: (inout [String: Any]) -> Void) -> [String: Any] {
            var key = base
            change(&key)
            return key
        }
        let refused: [(String, [UInt8])] = [
            ("not JSON", Array("keys".utf8)),
            ("no keys", try Self.keySet([])),
            ("a symmetric key", try Self.keySet([["kty": "oct", "kid": "hmac", "k": "c2VjcmV0"]])),
            ("a private key", try Self.keySet([with(Self.edKey) { $0["d"] = Self.b64([UInt8](repeating: 1, count: 32)) }])),
            ("no kid", try Self.keySet([with(Self.ecKey) { $0["kid"] = nil }])),
            ("two keys, one kid", try Self.keySet([Self.ecKey, with(Self.edKey) { $0["kid"] = "ec-1" }])),
            ("an encryption key", try Self.keySet([with(Self.ecKey) { $0["use"] = "enc" }])),
            ("an algorithm that does not fit", try Self.keySet([with(Self.ecKey) { $0["alg"] = "RS256" }])),
            ("HS256 named on a public key", try Self.keySet([with(Self.ecKey) { $0["alg"] = "HS256" }])),
            ("an unknown curve", try Self.keySet([with(Self.ecKey) { $0["crv"] = "secp256k1" }])),
            ("a point off the curve", try Self.keySet([with(Self.ecKey) { $0["y"] = Self.b64([UInt8](repeating: 7, count: 32)) }])),
            ("an RSA key of 1024 bits", try Self.keySet([[
                "kty": "RSA", "kid": "rsa-small", "e": "AQAB", "n": Self.b64([0xC1] + [UInt8](repeating: 0x5A, count: 127)),
            ]])),
        ]
        for (name, json) in refused {
            await #expect(throws: ExternalIssuerError.self, "\(name)") { _ = try await ExternalKeySet(json: json) }
        }
    }

    @Test func theGroupMapReadsPairsAndRefusesHalfOnes() throws {
        let map = try ExternalIssuer.parseGroupMap(" ops = operators , ops=auditors,finance=treasury")
        #expect(map == ["ops": ["operators", "auditors"], "finance": ["treasury"]])
        for bad in ["", ",", "ops", "ops=", "=operators", "a=b,c"] {
            #expect(throws: ExternalIssuerError.self, "\(bad)") { _ = try ExternalIssuer.parseGroupMap(bad) }
        }
        let issuer = ExternalIssuer(
            issuer: "https://idp.example", audience: "api", groupsClaim: "groups", groupMap: map, tokenTypes: ["at+jwt"],
            maxLifetimeSeconds: 600
        )
        #expect(issuer.groupNames(for: ["finance", "ops", "unmapped"]) == ["auditors", "operators", "treasury"])
    }

    @Test func anOutsideSubjectHasOneStableIdOfItsOwn() throws {
        func issuer(_ name: String) -> ExternalIssuer {
            ExternalIssuer(issuer: name, audience: "api", groupsClaim: "groups", groupMap: [:], tokenTypes: [], maxLifetimeSeconds: 600)
        }
        let a = issuer("https://a.example"), b = issuer("https://b.example")
        let id = a.principalID(subject: "alice")
        #expect(id == a.principalID(subject: "alice"))
        #expect(id != a.principalID(subject: "alice2"))
        #expect(id != b.principalID(subject: "alice"), "the same subject at another issuer is someone else")
        // No separator trick: issuer "x" + subject "\0y" is not issuer "x\0" + subject "y".
        #expect(issuer("x").principalID(subject: "y") != issuer("x\u{0}").principalID(subject: ""))
        #expect(id.uuidString.lowercased().dropFirst(14).first == "8", "a version 8 UUID, never one of our version 7 ids")
        // Pinned, so the ids in the audit trail do not change between releases.
        #expect(a.principalID(subject: "alice").uuidString.lowercased() == ExternalIssuerConfigTests.pinnedID)
    }

    static let pinnedID = "3d6b4dcb-3d6a-8fe2-a9ac-179215292dd5"

    @Test func groupsThatNeedASecondFactorGrantOnlyWithOne() {
        let now = Timestamp(microsecondsSinceEpoch: 0)
        let plain = Group(id: UUID(), name: "readers", permissions: [.usersRead], builtIn: false, createdAt: now)
        let strict = Group(id: UUID(), name: "treasury", permissions: [.auditRead], requiresMFA: true, builtIn: false, createdAt: now)
        let admins = Group(id: UUID(), name: Group.administratorsName, permissions: [.keysManage], builtIn: true, createdAt: now)
        let all = [plain, strict, admins]
        let production = SecondFactorPolicy(administratorsRequireMFA: true, usersRequireMFA: false)
        let development = SecondFactorPolicy(administratorsRequireMFA: false, usersRequireMFA: false)
        #expect(production.grantedGroups(all, multiFactor: true).map(\.name) == all.map(\.name))
        #expect(development.grantedGroups(all, multiFactor: false).map(\.name) == ["readers", "administrators"])
        #expect(production.grantedGroups(all, multiFactor: false).map(\.name) == ["readers"])
    }

    @Test func claimsReadEitherShapeOfAudienceAndGroups() throws {
        let json = #"{"iss":"i","sub":"s","aud":"api","exp":1700000600.5,"iat":1700000000,"groups":"ops","n":3,"amr":["pwd"]}"#
        let claims = try JSONDecoder().decode(ExternalTokenClaims.self, from: Data(json.utf8))
        #expect(claims.audience == ["api"])
        #expect(claims.expiresAt == 1_700_000_600)
        #expect(claims.stringClaims["groups"] == ["ops"])
        #expect(claims.stringClaims["n"] == nil)
        #expect(claims.authenticationMethods == ["pwd"])
        #expect(throws: (any Error).self) {
            _ = try JSONDecoder().decode(ExternalTokenClaims.self, from: Data(#"{"iss":"i","sub":"s","aud":"api","exp":-1,"iat":0}"#.utf8))
        }
    }
}
