import Audit
import Logging
import ServiceLifecycle
import Storage
import StrongroomKernel

/// Signs the chain's head into the checkpoint directory every `interval`, at a graceful
/// stop, and on demand (`strongroom audit checkpoint`). Never writes a checkpoint inconsistent with an earlier
/// one: the chain from the latest checkpoint to the head must verify first.
struct AuditCheckpointWriter: Service {
    let records: AuditRecords
    let directory: CheckpointDirectory
    let signer: CheckpointSigner
    let logger: Logger
    var interval: Duration = .seconds(60)
    /// What stamps `coverage`.
    var clock: any WallClock = SystemClock()
    /// When this writer last saw the head covered (the checkpoint-age metric).
    let coverage = AuditCheckpointCoverage()

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { break }
                do {
                    try await checkpoint()
                } catch let error as AuditError {
                    logger.critical("audit checkpoint refused", metadata: ["reason": "\(error)"])
                } catch {
                    logger.warning("audit checkpoint failed; will retry", metadata: ["error_type": "\(type(of: error))"])
                }
            }
        }
        // A last checkpoint at a graceful stop leaves no unsigned tail behind it.
        do {
            try await checkpoint()
        } catch {
            logger.warning("audit checkpoint at shutdown failed", metadata: ["reason": "\(error)"])
        }
    }

    /// Writes a checkpoint of the current head, unless the latest one already covers it;
    /// answers what it wrote.
    @discardableResult
    func checkpoint() async throws -> AuditCheckpoint? {
        try directory.prepare(verifierKey: signer.verifierKey)
        guard let head = try await records.head() else { return nil }
        // The key was just checked against the directory's, so its own verifier opens every
        // checkpoint this log wrote; one that does not open was put there by someone else.
        guard let verifier = CheckpointVerifier(verifierKey: signer.verifierKey) else { return nil }
        let existing: [AuditCheckpoint]
        switch try directory.checkpoints(verifier: verifier) {
        case .success(let found): existing = found
        case .failure(let failure): throw AuditError.checkpointInconsistent(failure.reason)
        }
        let latest = existing.max { $0.size < $1.size }
        if let latest, latest.size >= head.seq {
            guard latest.size == head.seq, latest.headHash == head.hash else {
                throw AuditError.checkpointInconsistent("checkpoint \(latest.size) is ahead of or differs from the stored head \(head.seq)")
            }
            coverage.covered(at: clock.now())
            return nil
        }
        try await verify(from: latest, to: head)
        let checkpoint = AuditCheckpoint(origin: signer.name, size: head.seq, headHash: head.hash)
        try directory.write(note: try signer.sign(checkpoint), size: checkpoint.size)
        coverage.covered(at: clock.now())
        logger.info("audit checkpoint written", metadata: ["records": "\(checkpoint.size)"])
        return checkpoint
    }

    /// Re-derives every record after the latest checkpoint up to `head`, starting from the
    /// checkpointed record, which must still carry the checkpoint's hash.
    private func verify(from latest: AuditCheckpoint?, to head: AuditChainHead) async throws {
        var start = AuditChainHead.genesis
        if let latest {
            guard let record = try await records.record(seq: latest.size), record.hash == latest.headHash else {
                throw AuditError.checkpointInconsistent("record \(latest.size) no longer carries the hash its checkpoint signed")
            }
            start = AuditChainHead(seq: latest.size, hash: latest.headHash)
        }
        var chain = AuditChainVerifier(startingAfter: start)
        try await records.scan(after: start.seq, through: head.seq) { page in page.allSatisfy { chain.consume($0) } }
        switch chain.finish() {
        case .invalid(let seq, let reason): throw AuditError.checkpointInconsistent("record \(seq): \(reason)")
        case .valid(_, let reached):
            guard reached == head else { throw AuditError.checkpointInconsistent("the chain does not reach its head \(head.seq)") }
        }
    }
}
