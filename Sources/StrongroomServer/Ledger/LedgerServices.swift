import Audit
import Bookkeeping
import Hummingbird
import Storage
import StrongroomKernel

/// What the ledger's routes share: storage, the entity rules, the posting path and the
/// idempotency gate, and the group commit that carries single postings.
struct LedgerServices: Sendable {
    let persistence: Persistence
    let onboarding: Onboarding
    let engine: PostingEngine
    let gate: IdempotencyGate
    let committer: GroupCommitter
    let bodyLimit: Int
    /// Stamps the events of entity changes (a posting's event takes its transaction's time).
    let clock: any WallClock

    init(
        persistence: Persistence, clock: any WallClock, gate: IdempotencyGate, bodyLimit: Int, groupCommit: GroupCommitter.Settings,
        metrics: CommitMetrics
    ) {
        self.persistence = persistence
        self.onboarding = Onboarding(clock: clock)
        self.engine = PostingEngine(clock: clock)
        self.gate = gate
        self.committer = GroupCommitter(persistence: persistence, engine: engine, metrics: metrics, settings: groupCommit)
        self.bodyLimit = bodyLimit
        self.clock = clock
    }

    /// Posts one command through the group commit, once per idempotency key. The request
    /// goes down as a value (`PostingSubmission`); its success (with the ids it created), its
    /// audit record and its stored answer commit with its batch, and a refusal answers this
    /// request alone.
    func post(_ command: PostingCommand, key: IdempotencyGate.Key?, _ context: AppRequestContext) async throws -> Response {
        guard let audit = context.audit else { throw StrongroomError.unauditedWrite }
        return try await gate.run(key, requestID: context.requestID) { claim in
            try await committer.submit(PostingSubmission(command: command, audit: audit, claim: claim)).answer
        }
    }
}
