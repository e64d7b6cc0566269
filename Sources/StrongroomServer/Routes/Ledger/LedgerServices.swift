import Audit
import Bookkeeping
import Storage
import StrongroomKernel

/// What the ledger's routes share: storage, the entity rules, the posting path and the
/// idempotency gate.
struct LedgerServices: Sendable {
    let persistence: Persistence
    let onboarding: Onboarding
    let engine: PostingEngine
    let gate: IdempotencyGate
    let bodyLimit: Int

    init(persistence: Persistence, clock: any WallClock, bodyLimit: Int) {
        self.persistence = persistence
        self.onboarding = Onboarding(clock: clock)
        self.engine = PostingEngine(clock: clock)
        self.gate = IdempotencyGate(persistence: persistence, clock: clock)
        self.bodyLimit = bodyLimit
    }

    /// Runs one posting command as a batch of one, recording the request's success with the
    /// ids it created (the transaction and its operations); a refusal rolls the unit of work
    /// back.
    func post(_ command: PostingCommand, in work: UnitOfWork, _ context: AppRequestContext) async throws -> Transaction {
        switch try await engine.run([command], store: work.ledger)[0] {
        case .success(let transaction):
            try context.recordSuccess(
                in: work, resource: "transaction:\(transaction.id)",
                summary: ["created": .list([transaction.id] + transaction.operations.map(\.id))]
            )
            return transaction
        case .failure(let error): throw error
        }
    }
}
