import Foundation
import Identity
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// The service role runs with what its grants allow and no more (PostgreSQL only: SQLite
/// has no roles).
@Suite("PostgreSQL service role")
struct ServiceRoleTests {
    static var postgres: [TestBackend] { TestBackend.available.filter { $0 == .postgres } }

    @Test(arguments: postgres)
    func theServiceRoleCannotChangeTheSchemaOrRewriteSigningKeys(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            #expect(try await persistence.migrator.isCurrent(persistence.database))
            await #expect(throws: (any Error).self) {
                try await persistence.database.direct.execute("CREATE TABLE intruder (id BIGINT)")
            }
            await #expect(throws: (any Error).self) {
                try await persistence.database.direct.execute("DROP TABLE identity_users")
            }
            let key = SigningKeyRecord(kid: "k", algorithm: "EdDSA", sealedPrivateKey: [1], publicKey: [2], createdAt: Timestamp(microsecondsSinceEpoch: 0))
            try await persistence.write { try await $0.identity.insertSigningKey(key) }
            await #expect(throws: (any Error).self) {
                try await persistence.database.direct.execute("UPDATE identity_signing_keys SET public_key = $1", [.bytes([0])])
            }
            await #expect(throws: (any Error).self) {
                try await persistence.database.direct.execute("DELETE FROM identity_signing_keys")
            }
            #expect(try await persistence.identity.signingKeys() == [key])
        }
    }
}
