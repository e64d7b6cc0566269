import ArgumentParser
import Foundation
import Logging
import StrongroomEdge
import StrongroomServer

@main
struct Strongroom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strongroom",
        abstract: "A secure, auditable double-entry ledger and banking core.",
        subcommands: [Serve.self, Migrate.self, AuditCommand.self, KeysCommand.self, BenchCommand.self, Version.self]
    )
}

/// The options `serve` and `migrate` share. Each maps to a configuration key; a flag given
/// here wins over the environment, the config file and the default.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (STRONGROOM_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on, 0 for any free port (STRONGROOM_PORT; default 8080).") var port: String?
    @Option(help: "Directory for the SQLite database and generated secrets (STRONGROOM_DATA_DIR; default ./strongroom-data).")
    var dataDir: String?
    @Option(help: "The database the service runs as: sqlite:///abs/path.db or postgres://… (STRONGROOM_DATABASE_URL).")
    var databaseUrl: String?
    @Option(help: "The role that owns the schema and runs migrations (STRONGROOM_DATABASE_OWNER_URL; default --database-url).")
    var databaseOwnerUrl: String?
    @Option(help: "PEM certificate chain for HTTPS (STRONGROOM_TLS_CERT).") var tlsCert: String?
    @Option(help: "PEM private key for HTTPS (STRONGROOM_TLS_KEY).") var tlsKey: String?
    @Flag(help: "A proxy in front terminates TLS (STRONGROOM_TLS_TERMINATED_UPSTREAM).") var tlsTerminatedUpstream = false
    @Option(help: "development or production (STRONGROOM_ENVIRONMENT; default development).") var environment: String?
    @Option(help: "A JSON configuration file (STRONGROOM_CONFIG).") var config: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (STRONGROOM_LOG_LEVEL; default info).")
    var logLevel: String?
    @Option(help: "Where signed audit checkpoints go (STRONGROOM_AUDIT_CHECKPOINT_DIR; default <data-dir>/audit-checkpoints).")
    var auditCheckpointDir: String?
    @Option(help: "Send traces and metrics to this OTLP/HTTP collector, e.g. http://127.0.0.1:4318 (STRONGROOM_OTLP_ENDPOINT; default off).")
    var otlpEndpoint: String?
    @Option(help: "Percent of new traces recorded, 0-100; a caller's sampled traceparent is always followed (STRONGROOM_TRACE_SAMPLE_RATE; default 10).")
    var traceSampleRate: String?
    @Option(help: "Seconds between metric exports to the collector, 1-3600 (STRONGROOM_OTLP_METRICS_INTERVAL; default 60).")
    var otlpMetricsInterval: String?

    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["host"] = host
        flags["port"] = port
        flags["dataDir"] = dataDir
        flags["databaseUrl"] = databaseUrl
        flags["databaseOwnerUrl"] = databaseOwnerUrl
        flags["tlsCert"] = tlsCert
        flags["tlsKey"] = tlsKey
        flags["tlsTerminatedUpstream"] = tlsTerminatedUpstream ? "true" : nil
        flags["environment"] = environment
        flags["config"] = config
        flags["logLevel"] = logLevel
        flags["auditCheckpointDir"] = auditCheckpointDir
        flags["otlpEndpoint"] = otlpEndpoint
        flags["traceSampleRate"] = traceSampleRate
        flags["otlpMetricsInterval"] = otlpMetricsInterval
        return flags
    }

    /// Loads the configuration and sets up JSON logging, or exits with one line on stderr.
    func load() async throws -> (ServerConfiguration, Logger) {
        let configuration: ServerConfiguration
        do {
            configuration = try await ConfigurationLoader.load(flags: flags)
        } catch let error as ConfigurationError {
            throw Refusal(error.message)
        }
        guard let level = Logger.Level(rawValue: configuration.logLevel) else {
            throw Refusal("logLevel must be one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap(
            { label, provider in
                var handler = JSONLogHandler(label: label, level: level)
                handler.metadataProvider = provider
                return handler
            },
            metadataProvider: ServerApp.loggingMetadataProvider(configuration)
        )
        var logger = Logger(label: "strongroom")
        logger.logLevel = level
        return (configuration, logger)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the HTTP API (applies migrations first).")
    @OptionGroup var options: ServerOptions

    func run() async throws {
        let (configuration, logger) = try await options.load()
        do {
            try await ServerApp.serve(configuration, logger: logger)
        } catch let error as ConfigurationError {
            throw Refusal(error.message)
        } catch {
            throw Refusal("cannot serve: \(error)")
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations and exit.")
    @OptionGroup var options: ServerOptions

    func run() async throws {
        let (configuration, logger) = try await options.load()
        do {
            let applied = try await ServerApp.migrate(configuration, logger: logger)
            print(applied.isEmpty ? "migrations are current" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        } catch {
            throw Refusal("migration failed: \(error)")
        }
    }
}

/// `strongroom keys rotate`.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the token signing keys.", subcommands: [Rotate.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a signing key that signs from now on; older keys verify until their tokens expire.",
            discussion: "Running servers switch to it within 30 s. Needs the master key (STRONGROOM_MASTER_KEY or the data directory's)."
        )
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let (configuration, logger) = try await options.loadQuietly()
            do {
                let rotated = try await KeyCommands.rotate(configuration, logger: logger)
                print("new signing key \(rotated.kid), created \(rotated.createdAt)")
            } catch {
                throw Refusal("key rotation failed: \(error)")
            }
        }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print(StrongroomVersion.current)
    }
}

/// A refusal to run: one line on stderr, exit status 1.
struct Refusal: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) { self.description = message }
}
