import Foundation
import Hummingbird
import Identity
import Secrets
import Storage
import StrongroomKernel

/// `POST /v1/keys/rotate`: a new token signing key that signs from then on.
enum KeyRoutes {
    struct Rotated: Encodable {
        let kid: String
        let createdAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case kid
            case createdAt = "created_at"
        }
    }

    static func register(
        on routes: GuardedRouter, gate: IdempotencyGate, tokens: TokenAuthority, box: SecretBox, clock: any WallClock
    ) {
        routes.add(.post, "/v1/keys/rotate", access: .permission(.keysManage), action: "key.rotate") { request, context in
            // No body: the key alone names the rotation, so a retry cannot rotate twice.
            let key = try gate.key(for: request, context: context, canonicalBody: [])
            let response = try await gate.run(key, requestID: context.requestID) { work in
                let record = try await Bootstrap.rotateSigningKey(store: work.identity, box: box, now: clock.now())
                try context.recordSuccess(in: work, resource: "signing-key:\(record.kid)")
                return try StoredResponse.json(Rotated(kid: record.kid, createdAt: record.createdAt), status: .created)
            }
            // This process signs with it at once; the others within TokenAuthority's refresh.
            try await tokens.reload()
            return response
        }
    }
}
