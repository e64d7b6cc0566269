import Foundation
@testable import StrongroomEdge
import Testing

@testable import StrongroomServer

/// Production refuses a known default or weak value in every secret setting, each with one
/// line that names the setting and never shows the value. The table below must cover every
/// setting `SecretSetting.all` declares, so a secret added later without a case here fails.
@Suite("Production refusals")
struct ProductionRefusalTests {
    /// One secret setting's environment variable, a known default, a weak value, and the
    /// words its refusal must name it by.
    struct Case: Sendable, CustomTestStringConvertible {
        let key: String
        let variable: String
        let knownDefault: String
        let weak: String
        let named: String

        var testDescription: String { key }
    }

    static let cases: [Case] = [
        Case(
            key: "masterKey", variable: "STRONGROOM_MASTER_KEY",
            knownDefault: "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
            weak: String(repeating: "5a", count: 16) + String(repeating: "a5", count: 16), named: "STRONGROOM_MASTER_KEY"
        ),
        Case(
            key: "bootstrapAdminPassword", variable: "STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD", knownDefault: "Changeme123",
            weak: "Short#Pw9", named: "STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD"
        ),
        Case(
            key: "databaseUrl", variable: "STRONGROOM_DATABASE_URL", knownDefault: "postgres://svc:mysecretpassword@db.internal/ledger",
            weak: "postgres://svc:xyxyxyxyxyxyxy@db.internal/ledger", named: "--database-url"
        ),
        Case(
            key: "databaseOwnerUrl", variable: "STRONGROOM_DATABASE_OWNER_URL", knownDefault: "postgres://owner:changeit@db.internal/ledger",
            weak: "postgres://owner:Q7vAx@db.internal/ledger", named: "--database-owner-url"
        ),
        Case(
            key: "auditCheckpointKey", variable: "STRONGROOM_AUDIT_CHECKPOINT_KEY",
            knownDefault: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            weak: String(repeating: "0102", count: 16), named: "STRONGROOM_AUDIT_CHECKPOINT_KEY"
        ),
    ]

    /// Every secret setting set to a sound value: production starts.
    static let sound: [String: String] = [
        "STRONGROOM_MASTER_KEY": ConfigurationTests.goodKey,
        "STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD": "a fresh strong passphrase",
        "STRONGROOM_DATABASE_URL": "postgres://svc:Vq8mT2zLw4pRk9@db.internal/ledger",
        "STRONGROOM_DATABASE_OWNER_URL": "postgres://owner:Hn3xYt7Qa9Ws2Ej5@db.internal/ledger",
        "STRONGROOM_AUDIT_CHECKPOINT_KEY": "9e1f4c7a2b8d5e03f6a9c1b4d7e2f5a8c3b6d9e0f2a5c8b1d4e7f0a3c6b9d2e5",
    ]

    static func refusal(_ environment: [String: String]) async throws -> String? {
        var environment = environment
        environment["STRONGROOM_ENVIRONMENT"] = "production"
        let config = try await ConfigurationLoader.load(flags: ["tlsTerminatedUpstream": "true"], environment: environment)
        do {
            try ProductionReadiness.check(config)
            return nil
        } catch let error as ConfigurationError {
            return error.message
        }
    }

    @Test func everySecretSettingHasACase() {
        #expect(Set(Self.cases.map(\.key)) == ConfigurationLoader.secretKeys)
        #expect(Set(Self.sound.keys) == Set(Self.cases.map(\.variable)))
    }

    @Test func soundSecretsStart() async throws {
        #expect(try await Self.refusal(Self.sound) == nil)
    }

    @Test(arguments: cases)
    func aKnownDefaultIsRefusedByName(_ setting: Case) async throws {
        var environment = Self.sound
        environment[setting.variable] = setting.knownDefault
        let line = try #require(try await Self.refusal(environment))
        #expect(line.contains(setting.named), "\(line)")
        #expect(line.contains("known default"), "\(line)")
        #expect(!line.contains("\n"))
        #expect(!line.contains(Self.secretPart(setting.knownDefault)), "the refusal shows the value: \(line)")
    }

    @Test(arguments: cases)
    func aWeakValueIsRefusedByName(_ setting: Case) async throws {
        var environment = Self.sound
        environment[setting.variable] = setting.weak
        let line = try #require(try await Self.refusal(environment))
        #expect(line.contains(setting.named), "\(line)")
        #expect(!line.contains("known default"), "\(line)")
        #expect(!line.contains("\n"))
        #expect(!line.contains(Self.secretPart(setting.weak)), "the refusal shows the value: \(line)")
    }

    /// A key found by its bytes: the documented example written in base64 is still refused.
    @Test func aKnownKeyIsRefusedWhateverItsSpelling() async throws {
        var environment = Self.sound
        // `0123456789abcdef` four times in hex is the documented example; here in base64.
        let base64 = Data(Array(repeating: [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF], count: 4).flatMap { $0 }).base64EncodedString()
        environment["STRONGROOM_MASTER_KEY"] = base64
        let line = try #require(try await Self.refusal(environment))
        #expect(line.contains("STRONGROOM_MASTER_KEY") && line.contains("known default"), "\(line)")
    }

    /// The secret inside a value: a URL's password, or the whole value.
    private static func secretPart(_ value: String) -> String {
        guard let url = URLComponents(string: value), let password = url.password else { return value }
        return password
    }
}
