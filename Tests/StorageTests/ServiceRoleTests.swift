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

    /// Every start re-grants the service role's rights (REVOKE, then GRANT, per table). Other
    /// processes serve from the same database meanwhile, so the re-grant is one transaction:
    /// a reader must never find a table between its REVOKE and its GRANT. Before it was, a
    /// reader polling during a few re-migrations was denied within the first run or two.
    @Test(arguments: postgres)
    func reGrantingAtStartNeverDeniesAServingProcess(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, database in
            let owner = try await database.openAsOwner()
            let serviceRole = database.serviceURL.serviceRole(ownedBy: database.ownerURL)
            let reader = Task {
                var denied: [String] = []
                var reads = 0
                while !Task.isCancelled, reads < 100_000 {
                    do {
                        try await persistence.database.direct.execute("SELECT COUNT(*) FROM ledger_transactions")
                        try await persistence.database.direct.execute("SELECT COUNT(*) FROM identity_users")
                    } catch is CancellationError {
                        break
                    } catch {
                        denied.append(String(String(reflecting: error).prefix(300)))
                    }
                    reads += 1
                }
                return (reads, denied)
            }
            do {
                for _ in 0..<5 {
                    _ = try await Migrator().migrate(owner, serviceRole: serviceRole, logger: TestDatabase.logger)
                }
            } catch {
                reader.cancel()
                await owner.close()
                throw error
            }
            reader.cancel()
            await owner.close()
            let (reads, denied) = await reader.value
            #expect(reads > 0)
            #expect(denied.count == 0, "\(denied.count) of \(reads) reads were refused while re-granting: \(denied.first ?? "")")
        }
    }
}
