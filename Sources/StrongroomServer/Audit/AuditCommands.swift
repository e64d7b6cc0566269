import Audit
import Foundation
import Logging
import Storage
import StrongroomEdge

/// `strongroom audit verify | export | checkpoint`: the audit trail without a running server.
/// Each opens the database as the configured service role and never migrates or writes to
/// it (checkpoints go to their directory).
public enum AuditCommands {
    /// What `verify` prints, and its exit status: 0 valid, 1 broken, 2 could not run.
    public struct Report: Sendable {
        public let exitCode: Int32
        public let lines: [String]
    }

    public static func verify(
        _ config: ServerConfiguration, checkpointDirectory: String?, checkpointKey: String?, logger: Logger
    ) async -> Report {
        let directory = CheckpointDirectory(path: checkpointDirectory ?? config.auditCheckpointDirectory)
        var lines: [String] = []
        var verifier: CheckpointVerifier?
        let hasCheckpoints = ((try? directory.notes()) ?? []).isEmpty == false
        if let keyText = checkpointKey ?? directory.storedVerifierKey() {
            let text = FileManager.default.fileExists(atPath: keyText)
                ? String(decoding: FileManager.default.contents(atPath: keyText) ?? Data(), as: UTF8.self) : keyText
            guard let parsed = CheckpointVerifier(verifierKey: text) else {
                return Report(exitCode: 2, lines: ["cannot run: the checkpoint verifier key is not a valid Ed25519 note key"])
            }
            verifier = parsed
            if checkpointKey == nil {
                lines.append("checkpoints: using the key stored in \(directory.path); pin it with --checkpoint-key")
            }
        } else if hasCheckpoints {
            return Report(exitCode: 2, lines: ["cannot run: \(directory.path) holds checkpoints but no verifier key was given or found"])
        } else {
            lines.append("checkpoints: none at \(directory.path); the chain is checked on its own")
        }
        do {
            let verification = try await withDatabase(config, logger: logger) { records in
                try await AuditTrailVerification(records: records, checkpoints: directory, verifier: verifier).run()
            }
            switch verification {
            case .valid(let count, let head):
                lines.append("valid: \(count) records" + (head.map { ", head \($0.seq) \($0.hash)" } ?? ""))
                return Report(exitCode: 0, lines: lines)
            case .invalid(let seq, let reason):
                lines.append("invalid: first bad seq \(seq): \(reason)")
                return Report(exitCode: 1, lines: lines)
            }
        } catch {
            lines.append("cannot run: \(error)")
            return Report(exitCode: 2, lines: lines)
        }
    }

    /// Writes every record after `afterSeq` as one JSON object per line (the shape of
    /// `GET /v1/audit/events` items); answers how many.
    public static func export(
        _ config: ServerConfiguration, afterSeq: Int64, to output: FileHandle, logger: Logger
    ) async throws -> Int {
        try await withDatabase(config, logger: logger) { records in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var count = 0
            try await records.scan(after: afterSeq) { page in
                var chunk = Data()
                for record in page {
                    chunk.append(try encoder.encode(AuditRoutes.Item(record)))
                    chunk.append(0x0A)
                }
                try output.write(contentsOf: chunk)
                count += page.count
                return true
            }
            return count
        }
    }

    /// Signs a checkpoint of the current head now; nil when the latest one already covers it.
    public static func checkpoint(_ config: ServerConfiguration, logger: Logger) async throws -> (size: Int64, directory: String)? {
        let box = try ServerApp.secretBox(config, dataDirectory: DataDirectory(path: config.dataDirectory))
        let signer = try ServerApp.checkpointSigner(config, box: box)
        return try await withDatabase(config, logger: logger) { records in
            let writer = AuditCheckpointWriter(
                records: records, directory: CheckpointDirectory(path: config.auditCheckpointDirectory), signer: signer, logger: logger
            )
            return try await writer.checkpoint().map { ($0.size, config.auditCheckpointDirectory) }
        }
    }

    /// Opens the configured database without creating or migrating it.
    private static func withDatabase<T: Sendable>(
        _ config: ServerConfiguration, logger: Logger, _ body: (AuditRecords) async throws -> T
    ) async throws -> T {
        if case .sqlite(let path) = config.databaseURL, !FileManager.default.fileExists(atPath: path) {
            throw ConfigurationError("no database at \(path)")
        }
        let database = try await Persistence.open(
            config.databaseURL, maximumConnections: 2, logger: logger, postgresLeaseTimeout: PostgresDatabase.commandLeaseTimeout
        )
        let persistence = Persistence(database: database)
        do {
            let result = try await body(persistence.audit)
            await persistence.close()
            return result
        } catch {
            await persistence.close()
            throw error
        }
    }
}
