import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Secrets
import Storage
import StrongroomKernel
import Testing

@testable import StrongroomServer

/// Users and groups made straight in the store (no must-change password), and tokens forged
/// with the server's own signing key, for the access and attack suites.
enum IdentityFixture {
    static let password = "a long enough passphrase"

    /// A user in a new group holding `permissions` in `scope`; answers its access token. When
    /// the permissions include a sensitive one and `stepUp` holds, the user enrols an
    /// authenticator and the token is a step-up's, so it may use them (for 5 minutes).
    static func user(
        _ name: String, permissions: Set<Permission>, scope: AccessScope = .everywhere, requiresMFA: Bool = false, stepUp: Bool = true,
        client: any TestClientProtocol, prepared: ServerApp.Prepared
    ) async throws -> (id: UUID, token: String) {
        let clock = SystemClock()
        let id = UUID()
        try await prepared.persistence.write { work in
            let group = Group(
                id: UUID(), name: "g-\(name)", permissions: permissions, scope: scope, requiresMFA: requiresMFA, builtIn: false,
                createdAt: clock.now()
            )
            try await work.identity.insertGroup(group)
            try await work.identity.insertUser(User(
                id: id, username: try Username(name), passwordHash: PasswordHasher(cost: 4).hash(password), status: .active,
                mustChangePassword: false, createdAt: clock.now(), updatedAt: clock.now()
            ))
            try await work.identity.setMemberships(principalID: id, kind: .user, groupIDs: [group.id])
        }
        let response = try await client.json(.post, "/v1/auth/login", body: #"{"username":"\#(name)","password":"\#(password)"}"#)
        #expect(response.status == .ok, "\(response.text)")
        let token = try #require(try response.object()["access_token"] as? String)
        guard stepUp, !requiresMFA, !permissions.isDisjoint(with: PermissionCatalogue.sensitive) else { return (id, token) }
        let authenticator = try await client.enrol(token: token, clock: prepared.clock)
        return (id, try await client.elevate(token: token, authenticator: authenticator))
    }

    /// The server's current signing key, opened with its master key.
    static func signingKey(_ prepared: ServerApp.Prepared) async throws -> (kid: String, key: Curve25519.Signing.PrivateKey) {
        let record = try #require(try await prepared.persistence.identity.signingKeys().last)
        let raw = try prepared.box.open(record.sealedPrivateKey, purpose: .signingKey, context: record.kid)
        return (record.kid, try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
    }

    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Claims as the server issues them, for `subject`, valid now unless changed.
    static func claims(subject: UUID, now: Int64 = SystemClock().now().secondsSinceEpoch) -> [String: Any] {
        [
            "iss": "strongroom", "aud": "strongroom-api", "sub": subject.uuidString.lowercased(), "exp": now + 300, "iat": now, "nbf": now,
            "jti": UUID().uuidString.lowercased(), "knd": "user",
        ]
    }

    /// A JWT with any header and claims: signed with Ed25519 by `key`, or by `sign`.
    static func forge(
        header: [String: Any], claims: [String: Any], key: Curve25519.Signing.PrivateKey? = nil,
        sign: ((Data) -> [UInt8])? = nil
    ) throws -> String {
        let head = base64URL(try JSONSerialization.data(withJSONObject: header, options: .sortedKeys))
        let body = base64URL(try JSONSerialization.data(withJSONObject: claims, options: .sortedKeys))
        let input = Data("\(head).\(body)".utf8)
        let signature: [UInt8] = if let sign { sign(input) } else if let key { Array(try key.signature(for: input)) } else { [] }
        return "\(head).\(body).\(base64URL(signature))"
    }
}
