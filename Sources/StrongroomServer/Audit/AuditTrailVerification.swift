import Audit
import Storage

/// Verifies the stored chain against the signed checkpoints: the one procedure behind
/// `GET /v1/audit/verify`, `strongroom audit verify` and the checkpoint writer's check.
struct AuditTrailVerification: Sendable {
    let records: AuditRecords
    let checkpoints: CheckpointDirectory?
    let verifier: CheckpointVerifier?

    /// Reads every record in `seq` order (a page at a time) through `AuditChainVerifier`.
    /// A checkpoint file that does not open with the pinned key fails the verification.
    func run() async throws -> AuditVerification {
        var opened: [AuditCheckpoint] = []
        if let checkpoints, let verifier {
            switch try checkpoints.checkpoints(verifier: verifier) {
            case .success(let found): opened = found
            case .failure(let failure): return failure.verification
            }
        }
        var chain = AuditChainVerifier(checkpoints: opened)
        try await records.scan(after: 0) { page in page.allSatisfy { chain.consume($0) } }
        return chain.finish()
    }
}
