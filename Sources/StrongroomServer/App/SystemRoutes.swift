import Hummingbird
import Identity
import NIOCore
import Storage
import StrongroomEdge
import StrongroomKernel

/// Liveness, readiness, version, the contract document and the token verification keys.
enum SystemRoutes {
    struct Status: Encodable { let status: String }
    struct Version: Encodable { let version: String }

    static func register(on routes: GuardedRouter, persistence: Persistence, tokens: TokenAuthority) {
        routes.add(.get, "/health", access: .publicRoute) { _, _ in
            try JSONResponse.make(Status(status: "ok"))
        }
        routes.add(.get, "/readyz", access: .publicRoute) { _, _ in
            guard await persistence.ready() else {
                throw StrongroomError(
                    .serviceUnavailable, "Not ready: the database is unreachable or its migrations are not current."
                )
            }
            return try JSONResponse.make(Status(status: "ready"))
        }
        routes.add(.get, "/version", access: .publicRoute) { _, _ in
            try JSONResponse.make(Version(version: StrongroomVersion.current))
        }
        routes.add(.get, "/openapi.yaml", access: .publicRoute) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes))
            )
        }
        routes.add(.get, "/.well-known/jwks.json", access: .publicRoute) { _, _ in
            try JSONResponse.make(["keys": tokens.current.jwks], headers: [.cacheControl: "public, max-age=60"])
        }
    }
}

/// The contract document, compiled into the binary from `Contract/openapi.yaml`.
enum OpenAPIDocument {
    static let bytes: [UInt8] = PackageResources.openapi_yaml
}

public enum StrongroomVersion {
    public static let current = "0.1.0"
}
