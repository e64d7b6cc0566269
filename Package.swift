// swift-tools-version:6.2
import PackageDescription

// Module walls: which target may import which is the fence table in docs/ARCHITECTURE.md,
// and Tests/ArchitectureTests checks every import against it.

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Strongroom",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "strongroom", targets: ["StrongroomCLI"]),
        // The pure core, for the micro-benchmarks package in Benchmarks/ (not a public API).
        .library(name: "StrongroomCore", targets: ["StrongroomKernel", "LedgerCore", "Bookkeeping", "Secrets", "Identity", "Audit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.30.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.12.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.2.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.30.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.1.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        // Traces and metrics out over OTLP/HTTP. Only that exporter's trait: the default traits
        // add the gRPC exporter, which builds grpc-swift and its HTTP/2 transport for nothing.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.2.0"),
        // Tests only: spawns the server binary, curl, openssl and swift. Foundation's Process
        // on Linux over-reads /proc/self/fd entries and crashes a test process with many open
        // descriptors (swift-corelibs-foundation#5472); Subprocess closes them with closefrom.
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.5.0"),
        // Tests only: property tests over the whole input space (every asset scale, values near
        // every bound), where the hand-picked cases once missed a trapping overflow.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // Shared vocabulary: coded errors, identifiers, clocks, limits. No I/O, no dependencies.
        .target(name: "StrongroomKernel", swiftSettings: strictSettings),
        // The pure double-entry core: amounts and posting rules. No I/O.
        .target(name: "LedgerCore", dependencies: ["StrongroomKernel"], swiftSettings: strictSettings),
        // What may move: the table of effects of freezes, locks and blocks, and maker-checker's
        // rules, limits and approval state machine, as data. Pure; the posting engine asks it,
        // and it never sees the engine or a store. LedgerCore for amounts; Crypto for the
        // SHA-256 an approval request is bound to.
        .target(
            name: "Controls",
            dependencies: ["StrongroomKernel", "LedgerCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // The ledger's entities, their rules, the store protocol and the one posting path.
        .target(name: "Bookkeeping", dependencies: ["StrongroomKernel", "LedgerCore", "Controls"], swiftSettings: strictSettings),
        // Sealing secrets at rest under the master key.
        .target(
            name: "Secrets",
            dependencies: ["StrongroomKernel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Users, groups, permissions, passwords and access tokens; its store protocol.
        .target(
            name: "Identity",
            dependencies: [
                "StrongroomKernel", "Secrets",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strictSettings
        ),
        // The audit trail's records; the unit of work carries them.
        .target(
            name: "Audit",
            dependencies: ["StrongroomKernel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Events out: the envelope, webhook signatures, the retry schedule and per-account
        // order. Pure; bodies arrive rendered, so it never imports an area or a store.
        .target(
            name: "Events",
            dependencies: ["StrongroomKernel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Account holders: UK bank details checked against Vocalink's tables, and personal
        // fields sealed under per-holder data keys (Secrets seals the organizations' keys under
        // the master key; Crypto for AES-GCM and the blind index's HMAC). Pure.
        .target(
            name: "Holders",
            dependencies: ["StrongroomKernel", "Secrets", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Resources/README.md"],
            resources: [.embedInCode("Resources/valacdos.txt"), .embedInCode("Resources/scsubtab.txt")],
            swiftSettings: strictSettings
        ),
        // Storage plumbing: SQLite and PostgreSQL behind one SQL seam, migrations, the unit of
        // work, and the store implementations of every area.
        .target(
            name: "Storage",
            dependencies: [
                "StrongroomKernel", "Identity", "Audit", "LedgerCore", "Bookkeeping", "Controls", "Holders", "Events",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                // For its build of SQLite: Storage calls SQLite's C API (VaporCSQLite) itself,
                // on the writer's own thread (SQLiteHandle).
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings
        ),
        // The HTTP plumbing that knows no area: request ids, body limits and strict JSON,
        // timeouts, the connection cap, problem bodies from the catalogue, TLS, the route
        // table's shape. Its fence row allows no domain module.
        .target(
            name: "StrongroomEdge",
            dependencies: [
                "StrongroomKernel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings
        ),
        // The HTTP API and the composition root: configuration, routes, guard, server.
        .target(
            name: "StrongroomServer",
            dependencies: [
                "StrongroomKernel", "StrongroomEdge", "Secrets", "Identity", "Audit", "LedgerCore", "Bookkeeping", "Storage", "Controls",
                "Holders", "Events",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                // The App folder's Telemetry alone (docs/ARCHITECTURE.md's fence table).
                .product(name: "OTel", package: "swift-otel"),
            ],
            resources: [.embedInCode("Contract/openapi.yaml")],
            swiftSettings: strictSettings
        ),
        // The load generator (`strongroom bench`): an HTTP client of the server and a checker of
        // its books. It knows the API, not the server's modules.
        .target(
            name: "StrongroomBench",
            dependencies: [
                // The kernel for its seeded generator alone (SplitMix64): nothing of the server.
                "StrongroomKernel",
                // HMAC-SHA1 for the one-time code of a bench user that must step up.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        // The `strongroom` command: argument parsing only.
        .executableTarget(
            name: "StrongroomCLI",
            dependencies: [
                "StrongroomServer", "StrongroomEdge", "StrongroomBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Fixtures shared by the test targets (fresh databases on both backends). Never
        // linked into the product.
        .target(
            name: "StrongroomTestSupport",
            dependencies: ["Storage", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // The posting engine's shared test suite and an in-memory PostingStore it runs on with
        // no database; StorageTests runs the same suite on SQLite and PostgreSQL. Tests only.
        .target(
            name: "BookkeepingTestSupport",
            dependencies: ["StrongroomKernel", "LedgerCore", "Bookkeeping", "Controls"],
            swiftSettings: strictSettings
        ),

        .testTarget(name: "KernelTests", dependencies: ["StrongroomKernel"], swiftSettings: strictSettings),
        .testTarget(
            name: "ControlsTests",
            dependencies: ["Controls", "StrongroomKernel", "LedgerCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LedgerCoreTests",
            dependencies: ["LedgerCore", "StrongroomKernel", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BookkeepingTests",
            dependencies: ["Bookkeeping", "LedgerCore", "StrongroomKernel", "BookkeepingTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgeTests",
            dependencies: [
                "StrongroomEdge", "StrongroomKernel", .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "StrongroomKernel"], swiftSettings: strictSettings),
        .testTarget(
            name: "HoldersTests",
            dependencies: [
                "Holders", "Secrets", "StrongroomKernel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.embedInCode("Fixtures/test-vectors.tsv")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EventsTests",
            dependencies: ["Events", "StrongroomKernel", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "BenchTests", dependencies: ["StrongroomBench", "StrongroomKernel"], swiftSettings: strictSettings),
        .testTarget(
            name: "IdentityTests",
            dependencies: ["Identity", "Secrets", "StrongroomKernel"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "Identity", "Secrets", "StrongroomKernel", "Audit", "StrongroomTestSupport", "Bookkeeping", "LedgerCore",
                "BookkeepingTestSupport", "Controls", "Holders", "Events",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "StrongroomServer", "StrongroomEdge", "Storage", "Identity", "Secrets", "StrongroomKernel", "StrongroomTestSupport",
                "Bookkeeping", "Audit", "LedgerCore", "StrongroomBench", "Holders", "Events",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ArchitectureTests",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
