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

    /// Ledger rows are soft-deleted and annotated, never removed: the service role holds no
    /// DELETE on them (only expired idempotency records may go).
    @Test(arguments: postgres)
    func theServiceRoleCannotDeleteLedgerRows(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            for table in [
                "ledger_organizations", "ledger_ledgers", "ledger_assets", "ledger_portfolios", "ledger_segments", "ledger_accounts",
                "ledger_balances", "ledger_transactions", "ledger_operations",
            ] {
                await #expect(throws: (any Error).self, "DELETE on \(table)") {
                    try await persistence.database.direct.execute("DELETE FROM \(table)")
                }
                try await persistence.database.direct.execute("SELECT COUNT(*) FROM \(table)")
            }
            try await persistence.database.direct.execute("DELETE FROM ledger_idempotency")
        }
    }
}
