import Foundation
import Identity
import Storage
@testable import StrongroomEdge
import StrongroomKernel
import Testing

@testable import StrongroomServer

@Suite("Configuration")
struct ConfigurationTests {
    /// Random-looking: production refuses a key of few distinct bytes as a pattern.
    static let goodKey = "3f9c2a7be1d04856a9f3c7e2b18d6045f1e29c7a3b5d8e06c4a1f7b92d3e8c51"

    @Test func defaultsAreTheDocumentedOnes() async throws {
        let config = try await ConfigurationLoader.load(flags: [:], environment: [:])
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.environment == .development)
        #expect(config.dataDirectory.hasSuffix("/strongroom-data"))
        #expect(config.databaseURL == .sqlite(path: config.dataDirectory + "/strongroom.db"))
        #expect(config.databaseOwnerURL == config.databaseURL)
        #expect(config.maxBodyBytes == 1 << 20)
        #expect(config.passwordHashCost == 12)
        #expect(config.masterKey == nil)
    }

    /// The events outbox keeps 7 days unless told otherwise, and only 1 hour to 90 days.
    @Test func theEventRetentionIsSevenDaysByDefaultAndBounded() async throws {
        #expect(try await ConfigurationLoader.load(flags: [:], environment: [:]).eventRetentionSeconds == 7 * 86_400)
        let hour = try await ConfigurationLoader.load(flags: [:], environment: ["STRONGROOM_EVENT_RETENTION": "3600"])
        #expect(hour.eventRetentionSeconds == 3600)
        for bad in ["3599", "7776001", "a week"] {
            await #expect(throws: ConfigurationError.self, "\(bad)") {
                try await ConfigurationLoader.load(flags: [:], environment: ["STRONGROOM_EVENT_RETENTION": bad])
            }
        }
    }

    @Test func flagsBeatEnvironmentBeatsFileBeatsDefaults() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/strongroom.json"
        try #"{"host": "10.0.0.9", "port": "9001", "logLevel": "debug", "tokenIssuer": "from-file"}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let config = try await ConfigurationLoader.load(
            flags: ["port": "7000", "config": file],
            environment: ["STRONGROOM_PORT": "7500", "STRONGROOM_HOST": "0.0.0.0", "STRONGROOM_DATA_DIR": directory]
        )
        #expect(config.port == 7000)
        #expect(config.host == "0.0.0.0")
        #expect(config.logLevel == "debug")
        #expect(config.tokenIssuer == "from-file")
        #expect(config.dataDirectory == directory)
    }

    @Test func secretsComeFromFilesButNotFromBothPlaces() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try (Self.goodKey + "\n").write(toFile: directory + "/key", atomically: true, encoding: .utf8)
        let config = try await ConfigurationLoader.load(flags: [:], environment: ["STRONGROOM_MASTER_KEY_FILE": directory + "/key"])
        #expect(config.masterKey?.revealed == Self.goodKey)
        await #expect(throws: ConfigurationError.self) {
            _ = try await ConfigurationLoader.load(
                flags: [:], environment: ["STRONGROOM_MASTER_KEY_FILE": directory + "/key", "STRONGROOM_MASTER_KEY": Self.goodKey]
            )
        }
        await #expect(throws: ConfigurationError.self) {
            _ = try await ConfigurationLoader.load(flags: [:], environment: ["STRONGROOM_MASTER_KEY_FILE": directory + "/missing"])
        }
    }

    @Test func badValuesAreRefusedWithoutEchoingSecrets() async throws {
        for (environment, fragment) in [
            (["STRONGROOM_PORT": "99999"], "port"), (["STRONGROOM_ENVIRONMENT": "staging"], "environment"),
            (["STRONGROOM_DATABASE_URL": "mysql://root:hunter2secret@db/x"], "database URL"),
            (["STRONGROOM_TLS_CERT": "/x.pem"], "tls"),
        ] {
            do {
                _ = try await ConfigurationLoader.load(flags: [:], environment: environment)
                Issue.record("accepted \(environment)")
            } catch let error as ConfigurationError {
                #expect(error.message.lowercased().contains(fragment.lowercased()), "\(error.message)")
                #expect(!error.message.contains("hunter2secret"))
            }
        }
    }

    @Test func theDatabaseURLNeverPrintsItsPassword() throws {
        let url = try DatabaseURL(parsing: "postgres://svc:s3cr3t-Pa55@db.internal:5433/ledger?sslmode=require")
        #expect("\(url)" == "postgres://svc:<redacted>@db.internal:5433/ledger")
        guard case .postgres(let target) = url else { return #expect(Bool(false)) }
        #expect(target.password?.revealed == "s3cr3t-Pa55")
        #expect(target.requireTLS)
        #expect(throws: StorageError.self) { try DatabaseURL(parsing: "sqlite://relative.db") }
    }

    @Test func productionRefusesWithOneLineSayingWhatIsMissing() async throws {
        func refusal(_ environment: [String: String], flags: [String: String] = [:]) async throws -> String? {
            var environment = environment
            environment["STRONGROOM_ENVIRONMENT"] = "production"
            let config = try await ConfigurationLoader.load(flags: flags, environment: environment)
            do {
                try ProductionReadiness.check(config)
                return nil
            } catch let error as ConfigurationError {
                #expect(!error.message.contains("\n"))
                return error.message
            }
        }
        #expect(try await refusal([:])?.contains("TLS") == true)
        #expect(try await refusal([:], flags: ["tlsTerminatedUpstream": "true"])?.contains("master key") == true)
        let known = String(repeating: "0", count: 64)
        let defaultKey = try await refusal(["STRONGROOM_MASTER_KEY": known], flags: ["tlsTerminatedUpstream": "true"])
        #expect(defaultKey?.contains("known default") == true)
        #expect(defaultKey?.contains(known) == false)
        let defaultAdmin = try await refusal(
            ["STRONGROOM_MASTER_KEY": Self.goodKey, "STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD": "changeme"],
            flags: ["tlsTerminatedUpstream": "true"]
        )
        #expect(defaultAdmin?.contains("BOOTSTRAP_ADMIN_PASSWORD") == true)
        let defaultDatabasePassword = try await refusal(
            ["STRONGROOM_MASTER_KEY": Self.goodKey, "STRONGROOM_DATABASE_URL": "postgres://svc:postgres@db/x"],
            flags: ["tlsTerminatedUpstream": "true"]
        )
        #expect(defaultDatabasePassword?.contains("database-url") == true)
        #expect(try await refusal(["STRONGROOM_MASTER_KEY": Self.goodKey], flags: ["tlsTerminatedUpstream": "true"]) == nil)
    }

    @Test func anOutsideIssuerNeedsItsKeysAudienceAndMapAndNothingStray() async throws {
        let full = [
            "STRONGROOM_EXTERNAL_ISSUER": "https://idp.example", "STRONGROOM_EXTERNAL_ISSUER_JWKS_FILE": "/etc/strongroom/idp.json",
            "STRONGROOM_EXTERNAL_ISSUER_AUDIENCE": "strongroom-ledger", "STRONGROOM_EXTERNAL_ISSUER_GROUP_MAP": "ops=operators,audit=auditors",
        ]
        let config = try await ConfigurationLoader.load(flags: [:], environment: full)
        let outside = try #require(config.externalIssuer)
        #expect(outside.keySetPath == "/etc/strongroom/idp.json")
        #expect(outside.issuer.issuer == "https://idp.example")
        #expect(outside.issuer.audience == "strongroom-ledger")
        #expect(outside.issuer.groupsClaim == "groups")
        #expect(outside.issuer.groupMap == ["ops": ["operators"], "audit": ["auditors"]])
        #expect(outside.issuer.tokenTypes == ["at+jwt"])
        #expect(outside.issuer.maxLifetimeSeconds == 3600)
        #expect(try await ConfigurationLoader.load(flags: [:], environment: [:]).externalIssuer == nil)

        let tuned = try await ConfigurationLoader.load(flags: [:], environment: full.merging([
            "STRONGROOM_EXTERNAL_ISSUER_GROUPS_CLAIM": "roles", "STRONGROOM_EXTERNAL_ISSUER_TOKEN_TYPES": "at+jwt, JWT",
            "STRONGROOM_EXTERNAL_ISSUER_MAX_LIFETIME": "900",
        ]) { $1 })
        #expect(tuned.externalIssuer?.issuer.groupsClaim == "roles")
        #expect(tuned.externalIssuer?.issuer.tokenTypes == ["at+jwt", "jwt"])
        #expect(tuned.externalIssuer?.issuer.maxLifetimeSeconds == 900)

        var refused: [[String: String]] = [
            ["STRONGROOM_EXTERNAL_ISSUER_AUDIENCE": "strongroom-ledger"],
            full.merging(["STRONGROOM_EXTERNAL_ISSUER": "strongroom"]) { $1 },
            full.merging(["STRONGROOM_EXTERNAL_ISSUER_GROUP_MAP": "ops"]) { $1 },
            full.merging(["STRONGROOM_EXTERNAL_ISSUER_MAX_LIFETIME": "999999"]) { $1 },
            full.merging(["STRONGROOM_EXTERNAL_ISSUER_TOKEN_TYPES": " , "]) { $1 },
        ]
        for key in ["STRONGROOM_EXTERNAL_ISSUER_JWKS_FILE", "STRONGROOM_EXTERNAL_ISSUER_AUDIENCE", "STRONGROOM_EXTERNAL_ISSUER_GROUP_MAP"] {
            refused.append(full.filter { $0.key != key })
        }
        for environment in refused {
            await #expect(throws: ConfigurationError.self, "\(environment)") {
                _ = try await ConfigurationLoader.load(flags: [:], environment: environment)
            }
        }
    }
}
