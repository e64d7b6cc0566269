import Audit
import Foundation
import Identity
import Logging
import Storage
import StrongroomEdge
import StrongroomKernel

/// `strongroom keys rotate`: a new token signing key without a running server (the same
/// rotation as `POST /v1/keys/rotate`). Running servers sign with it within their keyring
/// refresh (30 s); older keys verify until they retire. The rotation and its audit record
/// commit together.
public enum KeyCommands {
    public struct Rotated: Sendable {
        public let kid: String
        public let createdAt: Timestamp
    }

    /// Who rotated: the operator at the command line, as the trail names them.
    static let operatorActor = AuditActor(kind: .system, id: "cli", sourceAddress: nil)

    public static func rotate(_ config: ServerConfiguration, logger: Logger) async throws -> Rotated {
        let dataDirectory = DataDirectory(path: config.dataDirectory)
        // A development key must already exist: a fresh one would seal the new signing key
        // under a key the server does not have.
        if config.masterKey == nil, !FileManager.default.fileExists(atPath: dataDirectory.masterKeyPath) {
            throw ConfigurationError("no master key: set STRONGROOM_MASTER_KEY, or --data-dir to the server's data directory")
        }
        let box = try ServerApp.secretBox(config, dataDirectory: dataDirectory)
        if case .sqlite(let path) = config.databaseURL, !FileManager.default.fileExists(atPath: path) {
            throw ConfigurationError("no database at \(path)")
        }
        let database = try await Persistence.open(
            config.databaseURL, maximumConnections: 1, logger: logger, postgresLeaseTimeout: PostgresDatabase.commandLeaseTimeout
        )
        let persistence = Persistence(database: database)
        do {
            let record = try await persistence.write { work in
                let record = try await Bootstrap.rotateSigningKey(store: work.identity, box: box, now: SystemClock().now())
                work.record(
                    AuditEvent(
                        action: "key.rotate", resource: "signing-key:\(record.kid)", outcome: .success, actor: operatorActor,
                        requestID: "cli"
                    )
                )
                return record
            }
            await persistence.close()
            return Rotated(kid: record.kid, createdAt: record.createdAt)
        } catch {
            await persistence.close()
            throw error
        }
    }
}
