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

    static func register(on routes: GuardedRouter, persistence: Persistence, tokens: TokenAuthority, box: SecretBox, clock: any WallClock) {
        routes.add(.post, "/v1/keys/rotate", access: .permission(.keysManage), action: "key.rotate") { _, context in
            let record = try await persistence.write { work in
                let record = try await Bootstrap.rotateSigningKey(store: work.identity, box: box, now: clock.now())
                try context.recordSuccess(in: work, resource: "signing-key:\(record.kid)")
                return record
            }
            // This process signs with it at once; the others within TokenAuthority's refresh.
            try await tokens.reload()
            return try JSONResponse.make(Rotated(kid: record.kid, createdAt: record.createdAt), status: .created)
        }
    }
}
