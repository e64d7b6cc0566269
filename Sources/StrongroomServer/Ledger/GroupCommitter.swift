import Audit
import Bookkeeping
import Events
import Storage
import StrongroomKernel
import StrongroomEdge
import Synchronization
import Tracing

/// Gathers concurrent posting requests into one unit of work, so a burst of single
/// transfers pays for one durable commit instead of one each ("Group commit and the batch
/// endpoint" in docs/ARCHITECTURE.md).
///
/// A thin shell around `GroupCommitMachine`, which makes every decision (when a batch goes,
/// how many flushes run, who is answered with what, what a full queue or a shutdown refuses):
/// this class holds the machine under a lock and performs the actions it returns, which are
/// the only effects here: start a flush task, sleep out a linger, resume continuations.
///
/// A request is answered only after the batch that carried it has committed, with its own
/// result: a command a rule refuses fails alone, and an error of the batch as a whole makes
/// the machine re-run each item in a unit of work of its own, so that error reaches only the
/// item that caused it. A database out of reach fails the whole batch at once (503).
final class GroupCommitter: Sendable {
    struct Settings: Sendable, Equatable {
        /// The most commands one unit of work carries.
        var maxBatch: Int
        /// How many flushes may run at once.
        var flushes: Int
        /// How long a flush that is not full lingers for more items before it starts.
        var maxWaitMicroseconds: Int
        /// The most commands that may wait for a flush; beyond it a posting is answered 503
        /// (SR-9002) at once. The default's reasoning is on the constant.
        var maxQueuedCommands: Int = GroupCommitLimits.defaultMaxQueuedCommands

        /// SQLite has one writer, so one flush; PostgreSQL batches wait on each other only
        /// where they share balances.
        static func defaultFlushes(for url: DatabaseURL) -> Int {
            switch url {
            case .sqlite: 1
            case .postgres: 4
            }
        }

        var limits: GroupCommitLimits {
            GroupCommitLimits(
                maxBatch: maxBatch, flushes: flushes, lingers: maxWaitMicroseconds > 0, maxQueuedCommands: maxQueuedCommands
            )
        }
    }

    /// What a submitted posting comes back with once its batch is durable.
    struct Committed: Sendable {
        let transaction: Transaction
        /// Its 201, rendered once in the flush: the answer sent, and the one stored under its
        /// idempotency key when it has one.
        let answer: StoredResponse
    }

    /// What the committer has flushed since it started.
    typealias Statistics = GroupCommitStatistics

    private struct Item: Sendable {
        let submission: PostingSubmission
        let reply: CheckedContinuation<Committed, any Error>
        /// The request's wait for its flush, as a span context the flush links to; nil when
        /// the request is not traced.
        let trace: InstrumentationContext?
    }

    private typealias Machine = GroupCommitMachine<Item>

    private struct State {
        var machine: Machine
        /// Who waits in `shutdown()` for what was queued to be answered.
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// What a flush that just ended knows and the machine does not: each item's own result,
    /// or the error of the flush as a whole.
    private enum Ending {
        case committed([Result<Committed, StrongroomError>])
        case failed(any Error)
    }

    private let persistence: Persistence
    private let engine: PostingEngine
    let settings: Settings
    private let metrics: CommitMetrics
    private let state: Mutex<State>

    init(persistence: Persistence, engine: PostingEngine, metrics: CommitMetrics, settings: Settings) {
        precondition(settings.maxBatch >= 1 && settings.flushes >= 1 && settings.maxWaitMicroseconds >= 0 && settings.limits.areUsable)
        self.persistence = persistence
        self.engine = engine
        self.settings = settings
        self.metrics = metrics
        self.state = Mutex(State(machine: Machine(limits: settings.limits)))
    }

    var statistics: Statistics { state.withLock { $0.machine.statistics } }
    /// How many postings wait for a flush now (in flight ones not counted).
    var queuedCount: Int { state.withLock { $0.machine.queuedCount } }

    /// Runs the posting in the next batch; returns once that batch has committed. Throws 503
    /// (SR-9002) at once when the queue is full or shutdown has begun.
    func submit(_ submission: PostingSubmission) async throws -> Committed {
        try await Traced.run("group_commit.wait") { span in
            try await withCheckedThrowingContinuation { reply in
                let item = Item(submission: submission, reply: reply, trace: Traced.recorded(span))
                perform(state.withLock { $0.machine.submit(item) })
            }
        }
    }

    /// Takes no more postings (each is answered 503 at once) and returns once every posting
    /// queued before has been flushed and answered, with its result or its flush's error.
    func shutdown() async {
        await withCheckedContinuation { waiter in
            let actions = state.withLock { state in
                // Registered before the machine is told, so the `drained` this or a later
                // event returns finds it.
                state.shutdownWaiters.append(waiter)
                return state.machine.shutdown()
            }
            perform(actions)
        }
    }

    // MARK: Effects

    private func perform(_ actions: [Machine.Action], ending: Ending? = nil) {
        for action in actions {
            switch action {
            case .flush(let id, let items, let isRetry):
                Task { await self.flush(id, items, isRetry: isRetry) }
            case .linger(let id):
                Task {
                    try? await Task.sleep(for: .microseconds(self.settings.maxWaitMicroseconds))
                    self.perform(self.state.withLock { $0.machine.lingerElapsed(id) })
                }
            case .succeed(let items):
                // The machine answers a flush only from its own ending, so `ending` is the
                // flush's results, one per item; a missing one is a bug, answered, not leaked.
                let outcomes: [Result<Committed, StrongroomError>] = if case .committed(let outcomes) = ending { outcomes } else { [] }
                for (index, item) in items.enumerated() {
                    item.reply.resume(with: outcomes.indices.contains(index) ? outcomes[index] : .failure(.lostFlushOutcome))
                }
            case .fail(let items):
                let error: any Error = if case .failed(let error) = ending { error } else { StrongroomError.lostFlushOutcome }
                for item in items { item.reply.resume(throwing: error) }
            case .reject(let item, let reason):
                item.reply.resume(throwing: reason == .queueFull ? StrongroomError.postingQueueFull : StrongroomError.shuttingDown)
            case .drained:
                let waiters = state.withLock { state in
                    defer { state.shutdownWaiters = [] }
                    return state.shutdownWaiters
                }
                for waiter in waiters { waiter.resume() }
            }
        }
    }

    /// One unit of work for `items`; its ending goes to the machine, whose actions answer them.
    ///
    /// Traced as one span that links to every traced request it carries (one flush serves many
    /// traces), in the trace of the first of them, so a traced request's trace shows its flush
    /// and the flush's statements. A flush that carries no traced request makes no span, and
    /// runs with no current context rather than that of whichever request's task started it.
    private func flush(_ id: GroupCommitFlushID, _ items: [Item], isRetry: Bool) async {
        let start = ContinuousClock.now
        let ending: Ending
        let actions: [Machine.Action]
        let traces = items.compactMap(\.trace)
        (ending, actions) = await InstrumentationContext.$current.withValue(traces.first) {
            await Traced.run("group_commit.flush") { span in
                span.attributes["strongroom.group_commit.batch_size"] = items.count
                if isRetry { span.attributes["strongroom.group_commit.retry"] = true }
                for trace in traces { span.addLink(SpanLink(context: trace, attributes: [:])) }
                do {
                    let ending = Ending.committed(try await commit(items))
                    return (ending, state.withLock { $0.machine.flushSucceeded(id) })
                } catch {
                    Traced.failed(span, error)
                    let failure: GroupCommitFailure = (error as? StorageError)?.isUnavailable == true ? .unavailable : .wholeBatch
                    return (.failed(error), state.withLock { $0.machine.flushFailed(id, failure) })
                }
            }
        }
        // A re-run alone is part of its batch's flush, counted once with it.
        if !isRetry { metrics.recordFlush(items: items.count, duration: .now - start) }
        perform(actions, ending: ending)
    }


    /// One unit of work for the whole batch; each item's own result. For each success it
    /// writes, from the submission's values, the request's audit record, its event
    /// (`LedgerEvents`) and, under a key, its stored 201 (a ledger answer carries no secret,
    /// so it is stored in clear). The events go to the outbox in one statement.
    private func commit(_ batch: [Item]) async throws -> [Result<Committed, StrongroomError>] {
        try await persistence.write { [engine] work in
            let outcomes = try await engine.run(batch.map(\.submission.command), store: work.ledger)
            var results: [Result<Committed, StrongroomError>] = []
            results.reserveCapacity(batch.count)
            var events: [EventEnvelope] = []
            events.reserveCapacity(batch.count)
            for (item, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .success(let transaction):
                    let submission = item.submission
                    events.append(try LedgerEvents.transaction(submission.command, transaction))
                    work.record(submission.audit.success(
                        resource: "transaction:\(transaction.id)",
                        summary: ["created": .list([transaction.id] + transaction.operations.map(\.id))]
                    ))
                    let answer = LedgerHTTP.created(transaction)
                    if let claim = submission.claim { work.storeResponse(claim.record(of: answer)) }
                    results.append(.success(Committed(transaction: transaction, answer: answer)))
                case .failure(let error):
                    results.append(.failure(error))
                }
            }
            work.emit(events)
            return results
        }
    }
}

extension StrongroomError {
    static let postingQueueFull = StrongroomError(
        .postingQueueUnavailable, "Too many postings are waiting to be committed; retry shortly."
    )
    static let shuttingDown = StrongroomError(
        .postingQueueUnavailable, "The server is shutting down and takes no more postings; retry shortly."
    )
    /// A flush ended without a result for one of its items: a bug in the shell, answered
    /// rather than left waiting.
    static let lostFlushOutcome = StrongroomError(.internalError, "A posting's batch ended without its result.")
}

extension ServerConfiguration {
    var groupCommit: GroupCommitter.Settings {
        GroupCommitter.Settings(
            maxBatch: groupCommitMaxBatch, flushes: groupCommitFlushes ?? GroupCommitter.Settings.defaultFlushes(for: databaseURL),
            maxWaitMicroseconds: groupCommitMaxWaitMicroseconds, maxQueuedCommands: groupCommitMaxQueued
        )
    }
}
