import Audit
import Foundation
import Hummingbird
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// `POST/GET /v1/clients`, `GET/PATCH/DELETE /v1/clients/{id}`,
/// `POST /v1/clients/{id}/rotate-secret`. The secret is shown in the create and rotate
/// answers only; the store keeps its hash.
enum ClientRoutes {
    /// Encodable for its idempotency digest.
    struct NewClient: FlatStrictDecodable, Encodable {
        let name: String
        let groups: [String]?
        /// Group name to when that membership lapses (issue 25, item 4).
        let groupExpiresAt: [String: Timestamp?]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, groups
            case groupExpiresAt = "group_expires_at"
        }

        static var shape: BodyShape { .object(CodingKeys.self, nested: ["group_expires_at": .free]) }
    }

    struct ClientChanges: FlatStrictDecodable {
        let name: String?
        let groups: [String]?
        let groupExpiresAt: [String: Timestamp?]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, groups
            case groupExpiresAt = "group_expires_at"
        }

        static var shape: BodyShape { .object(CodingKeys.self, nested: ["group_expires_at": .free]) }
    }

    struct ClientView: Encodable {
        let clientID: String
        let name: String
        let groups: [String]
        let groupExpiresAt: [String: Timestamp]
        let status: String
        let clientSecret: String?
        let previousSecretValidUntil: Timestamp?
        let createdAt: Timestamp
        let updatedAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case name, groups, status
            case groupExpiresAt = "group_expires_at"
            case clientSecret = "client_secret"
            case previousSecretValidUntil = "previous_secret_valid_until"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        init(_ client: MachineClient, memberships: [Membership], secret: SecretValue? = nil, now: Timestamp) {
            clientID = client.id.uuidString.lowercased()
            name = client.name
            groups = memberships.map(\.group.name)
            groupExpiresAt = AdminSupport.expiryView(memberships)
            status = client.status.rawValue
            clientSecret = secret?.revealed
            previousSecretValidUntil = client.previousSecretValidUntil.flatMap { $0 > now ? $0 : nil }
            createdAt = client.createdAt
            updatedAt = client.updatedAt
        }
    }

    static func register(
        on routes: GuardedRouter, persistence: Persistence, gate: IdempotencyGate, clock: any WallClock, overlapSeconds: Int64, bodyLimit: Int
    ) {
        // The create and rotate answers carry the secret: confidential, so sealed when stored
        // under an idempotency key and never cached.
        routes.add(.post, "/v1/clients", access: .permission(.clientsManage), action: "client.create") { request, context in
            let body = try await BodyReader.decode(NewClient.self, from: request, limit: bodyLimit)
            let key = try gate.key(for: request, context: context, body: body)
            return try await gate.run(key, requestID: context.requestID) { work in
                let name = try validName(body.name)
                let groups = try await AdminSupport.groups(named: body.groups ?? [], store: work.identity)
                try AdminSupport.requireCovering(groups, by: context.principal)
                try AdminSupport.refuseSensitiveForClient(groups)
                let secret = OpaqueSecret.generate()
                let now = clock.now()
                let expiries = try AdminSupport.expiries(
                    body.groupExpiresAt, field: "group_expires_at", kept: [UUID: Timestamp](),
                    names: Dictionary(uniqueKeysWithValues: groups.map { ($0.id, $0.name) }), now: now
                )
                let client = MachineClient(
                    id: UUID(), name: name, secretHash: OpaqueSecret.hash(secret.revealed), previousSecretHash: nil,
                    previousSecretValidUntil: nil, status: .active, createdAt: now, updatedAt: now
                )
                try await work.identity.insertClient(client)
                try await work.identity.setMemberships(principalID: client.id, kind: .client, groupIDs: groups.map(\.id), expiries: expiries)
                try context.recordSuccess(
                    in: work, resource: "client:\(client.id.uuidString.lowercased())", summary: ["groups": .list(groups.map(\.name))]
                )
                return try StoredResponse.json(
                    ClientView(
                        client, memberships: groups.map { Membership(group: $0, expiresAt: expiries[$0.id]) }, secret: secret, now: now
                    ),
                    status: .created, confidential: true
                )
            }
        }

        routes.add(.get, "/v1/clients", access: .permission(.usersRead)) { _, _ in
            var items: [ClientView] = []
            for client in try await persistence.identity.clients() {
                items.append(ClientView(client, memberships: try await persistence.identity.memberships(of: client.id, kind: .client), now: clock.now()))
            }
            return try JSONResponse.make(["items": items])
        }

        routes.add(.get, "/v1/clients/{id}", access: .permission(.usersRead)) { _, context in
            let client = try await live(context, persistence.identity)
            return try JSONResponse.make(ClientView(client, memberships: try await persistence.identity.memberships(of: client.id, kind: .client), now: clock.now()))
        }

        routes.add(.patch, "/v1/clients/{id}", access: .permission(.clientsManage), action: "client.update") { request, context in
            let (changes, fields) = try await BodyReader.decodeNamingFields(ClientChanges.self, from: request, limit: bodyLimit)
            let name = try changes.name.map(validName)
            let newGroups: [Group]? =
                if let names = changes.groups { try await AdminSupport.groups(named: names, store: persistence.identity) } else { nil }
            let view = try await persistence.write { work in
                var client = try await live(context, work.identity)
                var memberships = try await work.identity.memberships(of: client.id, kind: .client)
                try AdminSupport.requireCovering(memberships.map(\.group), by: context.principal)
                // Only the groups it joins are checked for sensitive grants (changeMemberships).
                memberships = try await AdminSupport.changeMemberships(
                    of: client.id, kind: .client, from: memberships, to: newGroups, expiresAt: changes.groupExpiresAt,
                    by: context.principal, now: clock.now(), store: work.identity
                )
                if let name { client.name = name }
                client.updatedAt = clock.now()
                try await work.identity.updateClient(client)
                try context.recordSuccess(in: work, resource: "client:\(client.id.uuidString.lowercased())", summary: ["fields": .list(fields)])
                return ClientView(client, memberships: memberships, now: clock.now())
            }
            return try JSONResponse.make(view)
        }

        routes.add(.delete, "/v1/clients/{id}", access: .permission(.clientsManage), action: "client.delete") { _, context in
            try await persistence.write { work in
                var client = try await live(context, work.identity)
                try AdminSupport.requireCovering(try await work.identity.groups(of: client.id, kind: .client), by: context.principal)
                // Its tokens stop with it: the resolver refuses a deleted client's tokens.
                client.status = .deleted
                client.previousSecretHash = nil
                client.previousSecretValidUntil = nil
                client.updatedAt = clock.now()
                try await work.identity.updateClient(client)
                try context.recordSuccess(in: work, resource: "client:\(client.id.uuidString.lowercased())")
            }
            return Response(status: .noContent)
        }

        routes.add(.post, "/v1/clients/{id}/rotate-secret", access: .permission(.clientsManage), action: "client.rotate-secret") {
            request, context in
            // No body: the key alone names the rotation, so a retry cannot rotate twice.
            let key = try gate.key(for: request, context: context, canonicalBody: [])
            return try await gate.run(key, requestID: context.requestID) { work in
                let secret = OpaqueSecret.generate()
                var client = try await live(context, work.identity)
                let memberships = try await work.identity.memberships(of: client.id, kind: .client)
                try AdminSupport.requireCovering(memberships.map(\.group), by: context.principal)
                let now = clock.now()
                // The old secret keeps working for the overlap, so a fleet can roll over.
                client.previousSecretHash = overlapSeconds > 0 ? client.secretHash : nil
                client.previousSecretValidUntil = overlapSeconds > 0
                    ? Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch + overlapSeconds * 1_000_000) : nil
                client.secretHash = OpaqueSecret.hash(secret.revealed)
                client.updatedAt = now
                try await work.identity.updateClient(client)
                try context.recordSuccess(
                    in: work, resource: "client:\(client.id.uuidString.lowercased())", summary: ["overlap_seconds": .number(overlapSeconds)]
                )
                return try StoredResponse.json(
                    ClientView(client, memberships: memberships, secret: secret, now: now), status: .ok, confidential: true
                )
            }
        }
    }

    private static func live(_ context: AppRequestContext, _ store: any IdentityStore) async throws -> MachineClient {
        let id = try AdminSupport.pathID(context, "The client")
        guard let client = try await store.client(id: id), client.status == .active else { throw StrongroomError.identityNotFound("The client") }
        return client
    }

    private static func validName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(trimmed.count), !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw StrongroomError.invalidIdentityValue("name", "is 1 to 100 characters without control characters")
        }
        return trimmed
    }
}
