import Bookkeeping
import Foundation
import Identity
import Secrets
import Storage
import StrongroomEdge
import StrongroomKernel

/// Everything `serve` runs with, resolved from flags, environment, config file and
/// defaults. Secrets are `SecretValue`s: a dump of this value never shows one.
public struct ServerConfiguration: Sendable {
    public enum Environment: String, Sendable {
        case development
        case production
    }

    public var environment: Environment
    public var host: String
    public var port: Int
    public var dataDirectory: String
    public var databaseURL: DatabaseURL
    public var databaseOwnerURL: DatabaseURL
    public var databaseMaxConnections: Int
    /// How long a request waits for a pooled PostgreSQL connection before it is answered 503.
    /// Not an operator setting: the in-process test servers lengthen it (`TestServer`), since
    /// their many databases open first connections all at once on two cores.
    public var databaseLeaseTimeout: Duration = PostgresDatabase.defaultLeaseTimeout
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    public var tlsTerminatedUpstream: Bool
    /// Nil in development when none is supplied: the server then uses (or generates) the
    /// key file in the data directory.
    public var masterKey: SecretValue?
    public var bootstrapAdminPassword: SecretValue?
    public var tokenIssuer: String
    public var tokenAudience: String
    public var accessTokenLifetimeSeconds: Int64
    public var passwordHashCost: Int
    public var maxBodyBytes: Int
    public var maxConnections: Int
    public var idleTimeoutSeconds: Int64
    public var headerTimeoutSeconds: Int64
    /// How long a request's body may take to arrive after its head.
    public var bodyTimeoutSeconds: Int64
    public var logLevel: String
    /// Where signed audit checkpoints are written: outside the database's reach.
    public var auditCheckpointDirectory: String
    /// Seconds between checkpoints.
    public var auditCheckpointIntervalSeconds: Int64
    /// The checkpoint signing key's 32-byte seed (hex or base64); nil derives one from the
    /// master key.
    public var auditCheckpointKey: SecretValue?
    /// The log's name in checkpoints and the checkpoint key's name.
    public var auditOrigin: String
    /// The absolute lifetime of a refresh-token family (one login's session).
    public var refreshTokenLifetimeSeconds: Int64 = 12 * 3600
    /// How long a machine client's previous secret keeps working after a rotation.
    public var clientSecretOverlapSeconds: Int64 = 3600
    /// The issuer name authenticator apps show next to a TOTP code.
    public var totpIssuer: String = "Strongroom"
    /// Group commit: the most postings one unit of work carries.
    public var groupCommitMaxBatch: Int = 256
    /// Group commit: flushes at once; nil is the backend's default (1 on SQLite, 4 on
    /// PostgreSQL).
    public var groupCommitFlushes: Int?
    /// Group commit: how long a flush that is not full waits for more postings.
    public var groupCommitMaxWaitMicroseconds: Int = 0
    /// Group commit: how many postings may wait for a flush before more are answered 503.
    public var groupCommitMaxQueued: Int = GroupCommitLimits.defaultMaxQueuedCommands
    /// How long the events outbox keeps an event before the sweep deletes it (7 days).
    public var eventRetentionSeconds: Int64 = 7 * 86_400

    /// Proxies whose `X-Forwarded-For` names the client; none by default (the TCP peer is the
    /// client).
    public var trustedProxies: TrustedProxies = .none
    /// An outside identity provider whose tokens are accepted too; nil trusts only our own.
    public var externalIssuer: ExternalIssuerConfiguration?
    /// `usersRequireMfa` as the operator set it; nil follows the environment.
    public var usersRequireMFASetting: Bool?
    /// How long a proved second factor opens the sensitive permissions (`elevationLifetime`).
    public var stepUp = StepUpPolicy()
    /// Newer modulus tables than the compiled-in ones (`modulusWeightsFile`,
    /// `modulusSubstitutionsFile`): both, or neither.
    public var modulusWeightsFile: String?
    public var modulusSubstitutionsFile: String?
    /// Traces and metrics over OTLP (`otlpEndpoint`, `traceSampleRate`, `otlpMetricsInterval`).
    public var telemetry = TelemetrySettings()

    public var tlsEnabled: Bool { tlsCertificatePath != nil }

    /// Whether members of `administrators` must use a second factor whatever the group says.
    public var administratorsRequireMFA: Bool { environment == .production }

    /// Whether every person (a user, or an outside issuer's caller) must use a second factor:
    /// unless set, on in production and off in development, where it would stand between a
    /// developer and every first login.
    public var usersRequireMFA: Bool { usersRequireMFASetting ?? (environment == .production) }

    /// Who must prove a second factor, as login and the outside issuer's callers apply it.
    public var secondFactor: SecondFactorPolicy {
        SecondFactorPolicy(administratorsRequireMFA: administratorsRequireMFA, usersRequireMFA: usersRequireMFA)
    }

    /// The SQLite database's default place inside the data directory.
    public static func defaultDatabaseURL(dataDirectory: String) -> DatabaseURL {
        .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("strongroom.db").standardizedFileURL.path)
    }
}

/// An outside identity provider to trust: who it is and how its claims map (`ExternalIssuer`),
/// and the file its public keys (a JWK Set) are read from.
public struct ExternalIssuerConfiguration: Sendable {
    public var issuer: ExternalIssuer
    public var keySetPath: String

    public init(issuer: ExternalIssuer, keySetPath: String) {
        self.issuer = issuer
        self.keySetPath = keySetPath
    }
}
