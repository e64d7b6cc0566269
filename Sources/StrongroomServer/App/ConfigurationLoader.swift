import Bookkeeping
import Configuration
import Foundation
import Identity
import Storage
import StrongroomEdge
import StrongroomKernel

/// Resolves the configuration: flags > environment (`STRONGROOM_*`, and `STRONGROOM_*_FILE`
/// for every secret) > optional JSON config file > defaults.
///
/// Keys are camelCase (`dataDir`); the environment spells them `STRONGROOM_DATA_DIR` and the
/// config file `{"dataDir": …}`.
public enum ConfigurationLoader {
    /// Keys whose values are secrets (`SecretSetting.all` declares them): redacted by
    /// swift-configuration's access reporting, readable from a file through `…_FILE`, and
    /// checked against known defaults and weak values in production.
    static let secretKeys = Set(SecretSetting.all.map(\.key))
    static let environmentPrefix = "STRONGROOM"

    /// - Parameters:
    ///   - flags: values given on the command line, by key.
    ///   - environment: the process environment.
    ///   - configFile: a JSON file, from `--config` or `STRONGROOM_CONFIG`.
    public static func load(
        flags: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> ServerConfiguration {
        let configFile = flags["config"] ?? environment["\(environmentPrefix)_CONFIG"]
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: inMemoryValues(flags)),
            EnvironmentVariablesProvider(
                environmentVariables: environment,
                secretsSpecifier: .dynamic { key, _ in secretKeys.contains { environmentName($0) == key } }
            ).prefixKeys(with: ConfigKey(environmentPrefix.lowercased())),
            InMemoryProvider(name: "secret files", values: inMemoryValues(try secretFiles(environment))),
        ]
        if let configFile {
            do {
                // The path goes in through a reader: FileProvider's other initializer takes a
                // swift-system FilePath, a dependency this module otherwise has no use for.
                let location = ConfigReader(provider: InMemoryProvider(values: ["filePath": ConfigValue(.string(configFile), isSecret: false)]))
                providers.append(try await FileProvider<JSONSnapshot>(config: location))
            } catch {
                throw ConfigurationError("the config file \(configFile) could not be read as JSON")
            }
        }
        return try resolve(ConfigReader(providers: providers))
    }

    static func resolve(_ config: ConfigReader) throws -> ServerConfiguration {
        func string(_ key: String) -> String? {
            let value = config.string(forKey: ConfigKey(key), isSecret: secretKeys.contains(key))
            return value?.isEmpty == true ? nil : value
        }
        func integer(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = string(key) else { return value }
            guard let v = Int(text), range.contains(v) else {
                throw ConfigurationError("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return v
        }
        func flag(_ key: String) throws -> Bool {
            switch string(key)?.lowercased() {
            case nil, "false", "0", "no": return false
            case "true", "1", "yes": return true
            default: throw ConfigurationError("\(key) must be true or false")
            }
        }

        guard let environment = ServerConfiguration.Environment(rawValue: string("environment") ?? "development") else {
            throw ConfigurationError("environment must be development or production")
        }
        let dataDirectory = URL(fileURLWithPath: string("dataDir") ?? "./strongroom-data").standardizedFileURL.path
        let databaseURL = try string("databaseUrl").map(parseURL) ?? ServerConfiguration.defaultDatabaseURL(dataDirectory: dataDirectory)
        let ownerURL = try string("databaseOwnerUrl").map(parseURL) ?? databaseURL
        let cert = string("tlsCert")
        let key = string("tlsKey")
        guard (cert == nil) == (key == nil) else {
            throw ConfigurationError("TLS needs both --tls-cert and --tls-key")
        }
        let passwordHashCost = try integer("passwordHashCost", default: PasswordHasher.productionMinimumCost, range: PasswordHasher.allowedCosts)
        var config = ServerConfiguration(
            environment: environment,
            host: string("host") ?? "127.0.0.1",
            port: try integer("port", default: 8080, range: 0...65535),
            dataDirectory: dataDirectory,
            databaseURL: databaseURL,
            databaseOwnerURL: ownerURL,
            databaseMaxConnections: try integer("databaseMaxConnections", default: 20, range: 1...500),
            tlsCertificatePath: cert,
            tlsKeyPath: key,
            tlsTerminatedUpstream: try flag("tlsTerminatedUpstream"),
            masterKey: string("masterKey").map(SecretValue.init),
            bootstrapAdminPassword: string("bootstrapAdminPassword").map(SecretValue.init),
            tokenIssuer: string("tokenIssuer") ?? "strongroom",
            tokenAudience: string("tokenAudience") ?? "strongroom-api",
            accessTokenLifetimeSeconds: Int64(try integer(
                "accessTokenLifetime", default: 600,
                range: Int(TokenSettings.allowedAccessLifetimes.lowerBound)...Int(TokenSettings.allowedAccessLifetimes.upperBound)
            )),
            passwordHashCost: passwordHashCost,
            maxBodyBytes: try integer("maxBodyBytes", default: 1 << 20, range: 1024...(8 << 20)),
            maxConnections: try integer("maxConnections", default: 4096, range: 1...1_000_000),
            idleTimeoutSeconds: Int64(try integer("idleTimeout", default: 60, range: 1...3600)),
            headerTimeoutSeconds: Int64(try integer("headerTimeout", default: 10, range: 1...300)),
            bodyTimeoutSeconds: Int64(try integer("bodyTimeout", default: 30, range: 1...600)),
            logLevel: string("logLevel") ?? "info",
            auditCheckpointDirectory: URL(fileURLWithPath: string("auditCheckpointDir") ?? (dataDirectory + "/audit-checkpoints"))
                .standardizedFileURL.path,
            auditCheckpointIntervalSeconds: Int64(try integer("auditCheckpointInterval", default: 60, range: 1...86_400)),
            auditCheckpointKey: string("auditCheckpointKey").map(SecretValue.init),
            auditOrigin: string("auditOrigin") ?? "strongroom/audit"
        )
        config.refreshTokenLifetimeSeconds = Int64(try integer("refreshTokenLifetime", default: 12 * 3600, range: 600...(30 * 86_400)))
        config.clientSecretOverlapSeconds = Int64(try integer("clientSecretOverlap", default: 3600, range: 0...(7 * 86_400)))
        config.totpIssuer = string("totpIssuer") ?? "Strongroom"
        config.groupCommitMaxBatch = try integer("groupCommitMaxBatch", default: 256, range: 1...8190)
        config.groupCommitFlushes = try string("groupCommitFlushes").map { _ in try integer("groupCommitFlushes", default: 1, range: 1...64) }
        config.groupCommitMaxWaitMicroseconds = try integer("groupCommitMaxWait", default: 0, range: 0...100_000)
        config.groupCommitMaxQueued = try integer(
            "groupCommitMaxQueued", default: GroupCommitLimits.defaultMaxQueuedCommands, range: 1...1_048_576
        )
        config.eventRetentionSeconds = Int64(try integer("eventRetention", default: 7 * 86_400, range: 3600...(90 * 86_400)))
        config.trustedProxies = try string("trustedProxies").map(TrustedProxies.init(parsing:)) ?? .none
        config.usersRequireMFASetting = try string("usersRequireMfa").map { _ in try flag("usersRequireMfa") }
        config.modulusWeightsFile = string("modulusWeightsFile")
        config.modulusSubstitutionsFile = string("modulusSubstitutionsFile")
        config.telemetry.endpoint = try string("otlpEndpoint").map(TelemetrySettings.endpoint(parsing:))
        config.telemetry.sampleRatePercent = try string("traceSampleRate").map(TelemetrySettings.sampleRate(parsing:))
            ?? TelemetrySettings.defaultSampleRatePercent
        config.telemetry.metricsIntervalSeconds = try integer(
            "otlpMetricsInterval", default: TelemetrySettings.defaultMetricsIntervalSeconds, range: TelemetrySettings.metricsIntervals
        )
        config.stepUp = StepUpPolicy(lifetimeSeconds: Int64(try integer(
            "elevationLifetime", default: Int(StepUpPolicy.defaultLifetimeSeconds),
            range: Int(StepUpPolicy.allowedLifetimes.lowerBound)...Int(StepUpPolicy.allowedLifetimes.upperBound)
        )))
        config.externalIssuer = try externalIssuer(string: string, integer: integer, ownIssuer: config.tokenIssuer)
        return config
    }

    static let externalIssuerKeys = [
        "externalIssuer", "externalIssuerJwksFile", "externalIssuerAudience", "externalIssuerGroupsClaim",
        "externalIssuerGroupMap", "externalIssuerTokenTypes", "externalIssuerMaxLifetime",
    ]

    /// The outside identity provider, when `externalIssuer` is set: then its key file, audience
    /// and group map are required too. Any of its other keys without it is a mistake, refused.
    private static func externalIssuer(
        string: (String) -> String?, integer: (String, Int, ClosedRange<Int>) throws -> Int, ownIssuer: String
    ) throws -> ExternalIssuerConfiguration? {
        guard let issuer = string("externalIssuer") else {
            if let stray = externalIssuerKeys.first(where: { string($0) != nil }) {
                throw ConfigurationError("\(stray) is set but externalIssuer is not")
            }
            return nil
        }
        guard issuer != ownIssuer else { throw ConfigurationError("externalIssuer must differ from tokenIssuer") }
        func required(_ key: String) throws -> String {
            guard let value = string(key) else { throw ConfigurationError("externalIssuer needs \(key) too") }
            return value
        }
        let keySetPath = try required("externalIssuerJwksFile")
        let audience = try required("externalIssuerAudience")
        let groupMap: [String: Set<String>]
        do {
            groupMap = try ExternalIssuer.parseGroupMap(try required("externalIssuerGroupMap"))
        } catch let error as ExternalIssuerError {
            throw ConfigurationError(error.description)
        }
        let types = (string("externalIssuerTokenTypes") ?? TokenSettings.accessTokenType)
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !types.isEmpty else { throw ConfigurationError("externalIssuerTokenTypes names no type") }
        let lifetimes = ExternalIssuer.allowedLifetimes
        let maxLifetime = try integer("externalIssuerMaxLifetime", 3600, Int(lifetimes.lowerBound)...Int(lifetimes.upperBound))
        return ExternalIssuerConfiguration(
            issuer: ExternalIssuer(
                issuer: issuer, audience: audience, groupsClaim: string("externalIssuerGroupsClaim") ?? "groups",
                groupMap: groupMap, tokenTypes: Set(types), maxLifetimeSeconds: Int64(maxLifetime)
            ),
            keySetPath: keySetPath
        )
    }

    private static func parseURL(_ text: String) throws -> DatabaseURL {
        do {
            return try DatabaseURL(parsing: text)
        } catch {
            throw ConfigurationError(error.description)
        }
    }

    /// `STRONGROOM_MASTER_KEY_FILE=/run/secrets/key` reads the value from that file.
    static func secretFiles(_ environment: [String: String]) throws -> [String: String] {
        var values: [String: String] = [:]
        for key in secretKeys.sorted() {
            let name = environmentName(key)
            guard let path = environment["\(name)_FILE"], !path.isEmpty else { continue }
            guard environment[name] == nil else {
                throw ConfigurationError("set \(name) or \(name)_FILE, not both")
            }
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw ConfigurationError("\(name)_FILE names \(path), which cannot be read")
            }
            values[key] = text.trimmingCharacters(in: .newlines)
        }
        return values
    }

    /// `databaseOwnerUrl` → `STRONGROOM_DATABASE_OWNER_URL`.
    static func environmentName(_ key: String) -> String {
        var name = environmentPrefix + "_"
        for c in key {
            if c.isUppercase { name += "_" }
            name += c.uppercased()
        }
        return name
    }

    private static func inMemoryValues(_ values: [String: String]) -> [AbsoluteConfigKey: ConfigValue] {
        Dictionary(uniqueKeysWithValues: values.map { key, value in
            (AbsoluteConfigKey(ConfigKey(key)), ConfigValue(.string(value), isSecret: secretKeys.contains(key)))
        })
    }
}
