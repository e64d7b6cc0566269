import Foundation
import Identity
import Secrets
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@Suite("Bootstrap")
struct BootstrapTests {
    static let hasher = PasswordHasher(cost: 4)
    static let clock = FixedClock(Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000))

    static func bootstrap(_ persistence: Persistence, password: SecretValue?) async throws -> Bootstrap.Outcome {
        try await persistence.write { work in
            try await Bootstrap.ensureAdministrator(
                store: work.identity, suppliedPassword: password, hasher: hasher, executor: InlineExecutor(),
                ids: IdentifierGenerator(clock: clock), now: clock.now()
            )
        }
    }

    @Test(arguments: TestBackend.available)
    func aGeneratedPasswordMustBeChangedAndIsNeverGeneratedTwice(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            guard case .createdWithGeneratedPassword(let password) = try await Self.bootstrap(persistence, password: nil) else {
                Issue.record("expected a generated password")
                return
            }
            #expect(password.revealed.count == 24)
            let admin = try #require(try await persistence.identity.user(username: Username("admin")))
            #expect(admin.mustChangePassword)
            #expect(Self.hasher.verify(password.revealed, against: admin.passwordHash))
            let groups = try await persistence.identity.groups(of: admin.id, kind: .user)
            #expect(groups.map(\.name) == ["administrators"])
            #expect(groups.first?.permissions == PermissionCatalogue.all)
            #expect(try await Self.bootstrap(persistence, password: nil) == .alreadyInitialized)
            #expect(try await Self.bootstrap(persistence, password: SecretValue("a fresh strong passphrase")) == .alreadyInitialized)
        }
    }

    @Test(arguments: TestBackend.available)
    func aSuppliedPasswordNeedsNoChangeButMustBeStrong(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            await #expect(throws: StrongroomError(.weakPassword, "")) {
                _ = try await Self.bootstrap(persistence, password: SecretValue("changeme"))
            }
            #expect(try await persistence.identity.countUsers() == 0)
            #expect(try await Self.bootstrap(persistence, password: SecretValue("a fresh strong passphrase")) == .createdWithSuppliedPassword)
            let admin = try #require(try await persistence.identity.user(username: Username("admin")))
            #expect(!admin.mustChangePassword)
        }
    }

    @Test(arguments: TestBackend.available)
    func racingBootstrapsCreateExactlyOneAdministrator(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let outcomes = try await withThrowingTaskGroup(of: Bootstrap.Outcome.self) { group in
                for _ in 0..<4 { group.addTask { try await Self.bootstrap(persistence, password: nil) } }
                return try await group.reduce(into: [Bootstrap.Outcome]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 != .alreadyInitialized }.count == 1)
            #expect(try await persistence.identity.countUsers() == 1)
        }
    }

    @Test(arguments: TestBackend.available)
    func theSigningKeyIsSealedAndOpensOnlyWithItsMasterKey(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let box = SecretBox(masterKey: MasterKey.generate())
            _ = try await persistence.write { try await Bootstrap.ensureSigningKey(store: $0.identity, box: box, now: Self.clock.now()) }
            _ = try await persistence.write { try await Bootstrap.ensureSigningKey(store: $0.identity, box: box, now: Self.clock.now()) }
            let records = try await persistence.identity.signingKeys()
            #expect(records.count == 1)
            _ = try await SigningKeyring(records: records, box: box)
            await #expect(throws: SecretsError.sealedValueCorrupt) {
                _ = try await SigningKeyring(records: records, box: SecretBox(masterKey: MasterKey.generate()))
            }
        }
    }
}
