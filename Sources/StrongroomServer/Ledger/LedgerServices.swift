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
    }

    /// Posts one command through the group commit, once per idempotency key: the request's
    /// success (with the ids it created, the transaction and its operations) and its stored
    /// response commit with its batch; a refusal answers this request alone.
    func post(_ command: PostingCommand, key: IdempotencyGate.Key?, _ context: AppRequestContext) async throws -> Response {
        try await gate.run(key, requestID: context.requestID) { seal in
            let committed = try await committer.submit(command) { transaction, work in
                try context.recordSuccess(
                    in: work, resource: "transaction:\(transaction.id)",
                    summary: ["created": .list([transaction.id] + transaction.operations.map(\.id))]
                )
                guard let seal else { return nil }
                let answer = LedgerHTTP.created(transaction)
                try await seal(answer, work)
                return answer
            }
            return committed.stored ?? LedgerHTTP.created(committed.transaction)
        }
    }
}
