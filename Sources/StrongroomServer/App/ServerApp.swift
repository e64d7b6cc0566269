import Audit
import Foundation
import Holders
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Identity
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Secrets
import ServiceLifecycle
import StrongroomEdge
import UnixSignals
import Bookkeeping
import Storage
import StrongroomKernel

/// The composition root: turns a configuration into a running server. The only place that
/// wires identity, storage and the HTTP layer together.
public enum ServerApp {
    /// Everything a router needs, prepared against a migrated, bootstrapped database.
    struct Prepared: Sendable {
        let persistence: Persistence
        let tokens: TokenAuthority
        /// The outside identity provider's verifier, when one is configured.
        let external: ExternalTokenAuthority?
        let login: LoginService
        let hasher: PasswordHasher
        /// Where password hashing runs, off the cooperative pool.
        let executor: any BlockingExecutor
        let clock: any WallClock
        let box: SecretBox
        /// Refused and denied requests on their way to the audit chain.
        let outbox: AuditOutbox
        let checkpoints: AuditCheckpointWriter
        /// This server's own metrics registry and counters (`GET /metrics`).
        let metrics: ServerMetrics
        /// The process, pool, outbox and checkpoint gauges, sampled (`RuntimeMetricsSampler`).
        let runtime: RuntimeMetrics
        /// The UK modulus tables, loaded and checked at start (`BankDetailsTables`).
        let bankDetails: ModulusChecker
        /// The holders' erasure record beside the audit checkpoints (`HolderErasureLog`).
        let erasures: HolderErasureLog
        /// How the edge makes each request a span; nil when tracing is off.
        let tracing: RequestTracing?

        var auditVerification: AuditTrailVerification {
            AuditTrailVerification(
                records: persistence.audit, checkpoints: checkpoints.directory,
                verifier: CheckpointVerifier(verifierKey: checkpoints.signer.verifierKey)
            )
        }
    }

    /// `strongroom serve`: prepares, serves until SIGTERM or SIGINT, then finishes the
    /// requests in flight and closes the database.
    public static func serve(_ config: ServerConfiguration, logger: Logger) async throws {
        try ProductionReadiness.check(config)
        // Once per process: the tracer becomes the process's (`Telemetry`).
        let telemetry = try Telemetry(config.telemetry, logger: logger)
        let metrics = ServerMetrics(exportingTo: telemetry?.metricsFactory)
        let traced = try telemetry?.startTracing(dropped: metrics.spansDropped)
        let hashingPool = NIOThreadPool(numberOfThreads: 2)
        hashingPool.start()
        let prepared = try await prepare(
            config, executor: ThreadPoolExecutor(pool: hashingPool), metrics: metrics, tracing: traced?.tracing, logger: logger
        )
        do {
            let app = try buildApplication(config, prepared: prepared, logger: logger, telemetryServices: traced?.services ?? [])
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            await prepared.persistence.close()
            try? await hashingPool.shutdownGracefully()
            throw error
        }
        await prepared.persistence.close()
        try? await hashingPool.shutdownGracefully()
    }

    /// For the process's logging, set up before `serve`: with tracing on, what puts the current
    /// span's ids on every log line.
    public static func loggingMetadataProvider(_ config: ServerConfiguration) -> Logger.MetadataProvider? {
        Telemetry.loggingMetadataProvider(config.telemetry)
    }

    /// `strongroom migrate`: applies migrations as the owner role and grants the service role.
    public static func migrate(_ config: ServerConfiguration, logger: Logger) async throws -> [Int64] {
        let owner = try await Persistence.open(
            config.databaseOwnerURL, maximumConnections: 2, logger: logger, postgresLeaseTimeout: config.databaseLeaseTimeout
        )
        do {
            let applied = try await Migrator().migrate(
                owner, serviceRole: config.databaseURL.serviceRole(ownedBy: config.databaseOwnerURL), logger: logger
            )
            await owner.close()
            return applied
        } catch {
            await owner.close()
            throw error
        }
    }

    /// - Parameters:
    ///   - clock: the time every part of the server reads (tests pass one they move).
    ///   - metrics: the server's metrics, exporting over OTLP too when telemetry is on.
    ///   - tracing: how the edge makes each request a span; nil when tracing is off.
    static func prepare(
        _ config: ServerConfiguration, executor: any BlockingExecutor, clock: any WallClock = SystemClock(),
        metrics: ServerMetrics = ServerMetrics(), tracing: RequestTracing? = nil, logger: Logger
    ) async throws -> Prepared {
        let dataDirectory = DataDirectory(path: config.dataDirectory)
        try dataDirectory.create()
        let box = try secretBox(config, dataDirectory: dataDirectory)
        // Read before the database opens: a key file or table we cannot use stops the start
        // at once.
        let bankDetails = try BankDetailsTables.load(
            weightsFile: config.modulusWeightsFile, substitutionsFile: config.modulusSubstitutionsFile, logger: logger
        )
        var external: ExternalTokenAuthority?
        if let outside = config.externalIssuer {
            external = try await ExternalTokenAuthority(configuration: outside, clock: clock, logger: logger)
        }

        _ = try await migrate(config, logger: logger)
        let database = try await Persistence.open(
            config.databaseURL, maximumConnections: config.databaseMaxConnections, logger: logger,
            postgresLeaseTimeout: config.databaseLeaseTimeout, poolObserver: metrics.pool.observer
        )
        let persistence = Persistence(database: database, clock: clock)
        let hasher = PasswordHasher(cost: config.passwordHashCost)
        do {
            let outcome = try await persistence.write { work in
                try await StartupBootstrap.run(
                    in: work, box: box, suppliedPassword: config.bootstrapAdminPassword, hasher: hasher, executor: executor, clock: clock
                )
            }
            switch outcome {
            case .alreadyInitialized:
                break
            case .createdWithSuppliedPassword:
                logger.notice("created the administrator 'admin' with the supplied bootstrap password")
            case .createdWithGeneratedPassword(let password):
                let file = try dataDirectory.writeInitialPassword(password)
                logger.notice(
                    "created the administrator 'admin'; its one-time password is in the file named here, and must be changed at first login",
                    metadata: ["path": "\(file)"]
                )
            }
            let settings = TokenSettings(
                issuer: config.tokenIssuer, audience: config.tokenAudience, accessLifetimeSeconds: config.accessTokenLifetimeSeconds
            )
            let tokens = try await TokenAuthority(persistence: persistence, box: box, settings: settings, clock: clock)
            let outbox = AuditOutbox(clock: clock)
            let checkpoints = AuditCheckpointWriter(
                records: persistence.audit, directory: CheckpointDirectory(path: config.auditCheckpointDirectory),
                signer: try checkpointSigner(config, box: box), logger: logger,
                interval: .seconds(config.auditCheckpointIntervalSeconds), clock: clock
            )
            // Before anything is served: a database restored from a copy taken before an
            // erasure forgets the erasure, and the record outside it does not.
            let erasures = HolderErasureLog(
                directory: config.auditCheckpointDirectory, key: HolderErasureKey(seed: box.derivedSeed(purpose: .holderErasureRecord))
            )
            try await HolderErasureReplay(log: erasures, persistence: persistence, logger: logger).run()
            let runtime = RuntimeMetrics(factory: metrics.factory, pool: metrics.pool, sources: .init(
                database: database, outbox: outbox, checkpoints: checkpoints.coverage, clock: clock
            ))
            return Prepared(
                persistence: persistence, tokens: tokens, external: external,
                login: LoginService(hasher: hasher, executor: executor, clock: clock), hasher: hasher, executor: executor,
                clock: clock, box: box, outbox: outbox, checkpoints: checkpoints,
                metrics: metrics, runtime: runtime, bankDetails: bankDetails, erasures: erasures, tracing: tracing
            )
        } catch {
            await persistence.close()
            if let error = error as? StrongroomError { throw ConfigurationError("bootstrap refused: \(error.detail)") }
            throw error
        }
    }

    /// The master key's box: the configured key, or in development the data directory's.
    static func secretBox(_ config: ServerConfiguration, dataDirectory: DataDirectory) throws -> SecretBox {
        guard let supplied = config.masterKey else { return SecretBox(masterKey: try dataDirectory.developmentMasterKey()) }
        do {
            return SecretBox(masterKey: try MasterKey(text: supplied.revealed))
        } catch {
            throw ConfigurationError("STRONGROOM_MASTER_KEY is not usable: \(error)")
        }
    }

    /// The checkpoint key: the configured seed, or one derived from the master key.
    static func checkpointSigner(_ config: ServerConfiguration, box: SecretBox) throws -> CheckpointSigner {
        var seed = box.derivedSeed(purpose: .auditCheckpointKey)
        if let supplied = config.auditCheckpointKey {
            guard let bytes = MasterKey.keyBytes(supplied.revealed) else { throw ConfigurationError(AuditError.invalidKeySeed.description) }
            seed = bytes
        }
        do {
            return try CheckpointSigner(name: config.auditOrigin, seed: seed)
        } catch {
            throw ConfigurationError("auditOrigin: \(AuditError.invalidKeyName)")
        }
    }

    /// The declared routes, for the route matrix and the contract check.
    static func routeTable(_ config: ServerConfiguration, prepared: Prepared) throws -> DeclaredRoutes {
        try buildRoutes(config, prepared: prepared).routes.table.current
    }

    /// The guarded routes, and the ledger's group committer, which the application stops
    /// with the server (`GroupCommitDrain`).
    private static func buildRoutes(
        _ config: ServerConfiguration, prepared: Prepared
    ) throws -> (routes: GuardedRouter, committer: GroupCommitter) {
        let router = Router(context: AppRequestContext.self)
        let authenticator = Authenticator(prepared: prepared, secondFactor: config.secondFactor, stepUp: config.stepUp)
        let routes = GuardedRouter(
            router: router, authenticator: authenticator, outbox: prepared.outbox, metrics: prepared.metrics.security
        )
        // The edge middleware must be added before any route: Hummingbird bakes a router's
        // middleware into each route as it is registered.
        router.add(middleware: EdgeMiddleware(
            routes: routes.table, maxBodyBytes: config.maxBodyBytes, tlsEnabled: config.tlsEnabled,
            trustedProxies: config.trustedProxies, metrics: prepared.metrics.responses, tracing: prepared.tracing
        ))
        SystemRoutes.register(on: routes, persistence: prepared.persistence, tokens: prepared.tokens)
        let sessions = SessionIssuer(
            tokens: prepared.tokens, clock: prepared.clock, refreshLifetimeSeconds: config.refreshTokenLifetimeSeconds, stepUp: config.stepUp
        )
        let flow = LoginFlow(
            persistence: prepared.persistence, login: prepared.login, box: prepared.box, clock: prepared.clock,
            secondFactor: config.secondFactor, metrics: prepared.metrics.security
        )
        AuthRoutes.register(on: routes, services: .init(
            persistence: prepared.persistence, flow: flow, sessions: sessions, totpIssuer: config.totpIssuer, bodyLimit: config.maxBodyBytes
        ))
        TokenRoutes.register(
            on: routes, persistence: prepared.persistence, tokens: prepared.tokens, sessions: sessions, clock: prepared.clock,
            bodyLimit: config.maxBodyBytes, metrics: prepared.metrics.security
        )
        PermissionRoutes.register(on: routes)
        // One gate for every creating POST, identity's and the ledger's.
        let gate = IdempotencyGate(persistence: prepared.persistence, clock: prepared.clock, box: prepared.box)
        UserRoutes.register(
            on: routes, persistence: prepared.persistence, gate: gate, hasher: prepared.hasher, executor: prepared.executor,
            clock: prepared.clock, bodyLimit: config.maxBodyBytes
        )
        GroupRoutes.register(on: routes, persistence: prepared.persistence, gate: gate, clock: prepared.clock, bodyLimit: config.maxBodyBytes)
        ClientRoutes.register(
            on: routes, persistence: prepared.persistence, gate: gate, clock: prepared.clock,
            overlapSeconds: config.clientSecretOverlapSeconds, bodyLimit: config.maxBodyBytes
        )
        KeyRoutes.register(on: routes, gate: gate, tokens: prepared.tokens, box: prepared.box, clock: prepared.clock)
        AuditRoutes.register(on: routes, persistence: prepared.persistence, verification: prepared.auditVerification)
        MetricsRoutes.register(on: routes, metrics: prepared.metrics, runtime: prepared.runtime)
        let ledger = LedgerServices(
            persistence: prepared.persistence, clock: prepared.clock, gate: gate, bodyLimit: config.maxBodyBytes,
            groupCommit: config.groupCommit, metrics: prepared.metrics.commit
        )
        OnboardingRoutes.register(on: routes, services: ledger)
        BalanceRoutes.register(on: routes, services: ledger)
        TransactionRoutes.register(on: routes, services: ledger)
        EventRoutes.register(on: routes, persistence: prepared.persistence)
        ControlRoutes.register(on: routes, persistence: prepared.persistence, gate: gate, clock: prepared.clock, bodyLimit: config.maxBodyBytes)
        ControlRuleRoutes.register(on: routes, persistence: prepared.persistence, gate: gate, clock: prepared.clock, bodyLimit: config.maxBodyBytes)
        // The organizations' holder keys, opened once each (`HolderKeyring`).
        let keyring = HolderKeyring(persistence: prepared.persistence, box: prepared.box, clock: prepared.clock)
        HolderRoutes.register(
            on: routes, persistence: prepared.persistence, keyring: keyring, gate: gate, clock: prepared.clock, bodyLimit: config.maxBodyBytes
        )
        ProtectionAuditRoutes.register(on: routes, persistence: prepared.persistence)
        HolderAliasRoutes.register(
            on: routes, persistence: prepared.persistence, keyring: keyring, gate: gate, checker: prepared.bankDetails, clock: prepared.clock,
            bodyLimit: config.maxBodyBytes
        )
        HolderErasureRoutes.register(on: routes, prepared: prepared)
        try routes.validate()
        return (routes, ledger.committer)
    }

    /// - Parameter telemetryServices: the OpenTelemetry exporters' background work, first in
    ///   the list so they stop last, after the requests in flight have made their spans.
    static func buildApplication(
        _ config: ServerConfiguration, prepared: Prepared, logger: Logger, telemetryServices: [any Service] = []
    ) throws -> some ApplicationProtocol {
        let (routes, committer) = try buildRoutes(config, prepared: prepared)
        let router = routes.router
        let cap = ConnectionCap(maxConnections: config.maxConnections)
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                cap.handler(),
                RequestTimeoutHandler(headTimeout: .seconds(config.headerTimeoutSeconds), bodyTimeout: .seconds(config.bodyTimeoutSeconds)),
            ],
            idleTimeout: .seconds(config.idleTimeoutSeconds)
        )
        let server: HTTPServerBuilder = try config.tlsEnabled
            ? .tls(.http1(configuration: http1), tlsConfiguration: TLSSetup.serverConfiguration(certificatePath: config.tlsCertificatePath, keyPath: config.tlsKeyPath))
            : .http1(configuration: http1)
        let scheme = config.tlsEnabled ? "https" : "http"
        return Application(
            router: router,
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(config.host, port: config.port),
                serverName: nil,
                // Connections waiting to be accepted: enough for a burst of reconnects (the
                // kernel caps it at net.core.somaxconn).
                backlog: 4096,
                availableConnectionsDelegate: MaximumAvailableConnections(cap.hardLimit, logger: logger)
            ),
            services: telemetryServices + [
                ExpirySweeper(
                    persistence: prepared.persistence, engine: PostingEngine(clock: prepared.clock), clock: prepared.clock, logger: logger,
                    eventRetentionSeconds: config.eventRetentionSeconds
                ),
                AccessLapseSweeper(persistence: prepared.persistence, clock: prepared.clock, logger: logger),
                AuditOutboxFlusher(outbox: prepared.outbox, persistence: prepared.persistence, logger: logger),
                prepared.checkpoints,
                RuntimeMetricsSampler(metrics: prepared.runtime, logger: logger),
                // Last, so it stops first after the HTTP server (GroupCommitDrain).
                GroupCommitDrain(committer: committer),
            ],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                // Written straight to the file descriptor: scripts wait for this line, and
                // stdout may be a pipe that would otherwise buffer it.
                FileHandle.standardOutput.write(Data("listening on \(scheme)://\(config.host):\(port)\n".utf8))
            },
            logger: logger
        )
    }
}
