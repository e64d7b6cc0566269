import Bookkeeping
import Storage
import StrongroomKernel
import Synchronization

/// Gathers concurrent posting requests into one unit of work, so a burst of single
/// transfers pays for one durable commit instead of one each ("Group commit and the batch
/// endpoint" in docs/ARCHITECTURE.md).
///
/// A request is answered only after the batch that carried it has committed, with its own
/// result: a command a rule refuses fails alone, and an error of the batch as a whole makes
/// the flush re-run each item in a unit of work of its own, so that error reaches only the
/// item that caused it.
final class GroupCommitter: Sendable {
    struct Settings: Sendable, Equatable {
        /// The most commands one unit of work carries.
        var maxBatch: Int
        /// How many flushes may run at once.
        var flushes: Int
        /// How long a flush that is not full lingers for more items before it starts.
        var maxWaitMicroseconds: Int

        /// SQLite has one writer, so one flush; PostgreSQL batches wait on each other only
        /// where they share balances.
        static func defaultFlushes(for url: DatabaseURL) -> Int {
            switch url {
            case .sqlite: 1
            case .postgres: 4
            }
        }
    }

    /// What an item records in the unit of work once its transaction exists (its audit event
    /// and, under an idempotency key, its stored response, which it then returns).
    typealias Completion = @Sendable (Transaction, UnitOfWork) async throws -> StoredResponse?

    /// What a submitted command comes back with once its batch is durable.
    struct Committed: Sendable {
        let transaction: Transaction
        /// The response the completion stored, if it stored one.
        let stored: StoredResponse?
    }

    private struct Item: Sendable {
        let command: PostingCommand
        let complete: Completion
        let reply: CheckedContinuation<Committed, any Error>
    }

    /// What the committer has flushed since it started.
    struct Statistics: Sendable, Equatable {
        var batches = 0
        var items = 0
        var largestBatch = 0
    }

    private struct State {
        var queue: [Item] = []
        /// How many more flushes may start now.
        var idleFlushes: Int
        var statistics = Statistics()
    }

    private let persistence: Persistence
    private let engine: PostingEngine
    let settings: Settings
    private let metrics: CommitMetrics
    private let state: Mutex<State>

    init(persistence: Persistence, engine: PostingEngine, metrics: CommitMetrics, settings: Settings) {
        precondition(settings.maxBatch >= 1 && settings.flushes >= 1 && settings.maxWaitMicroseconds >= 0)
        self.persistence = persistence
        self.engine = engine
        self.settings = settings
        self.metrics = metrics
        self.state = Mutex(State(idleFlushes: settings.flushes))
    }

    var statistics: Statistics { state.withLock { $0.statistics } }

    /// Runs `command` in the next batch; returns once that batch has committed.
    func submit(_ command: PostingCommand, complete: @escaping Completion) async throws -> Committed {
        try await withCheckedThrowingContinuation { reply in
            let startsFlush = state.withLock { state in
                state.queue.append(Item(command: command, complete: complete, reply: reply))
                guard state.idleFlushes > 0 else { return false }
                state.idleFlushes -= 1
                return true
            }
            if startsFlush { Task { await self.drain() } }
        }
    }

    /// One flush: takes batches off the queue until it is empty, then ends.
    private func drain() async {
        while true {
            if settings.maxWaitMicroseconds > 0, state.withLock({ (1..<settings.maxBatch).contains($0.queue.count) }) {
                try? await Task.sleep(for: .microseconds(settings.maxWaitMicroseconds))
            }
            let batch = state.withLock { state in
                let batch = Array(state.queue.prefix(settings.maxBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty {
                    state.idleFlushes += 1
                } else {
                    state.statistics.batches += 1
                    state.statistics.items += batch.count
                    state.statistics.largestBatch = max(state.statistics.largestBatch, batch.count)
                }
                return batch
            }
            guard !batch.isEmpty else { return }
            let start = ContinuousClock.now
            await flush(batch)
            metrics.recordFlush(items: batch.count, duration: .now - start)
        }
    }

    private func flush(_ batch: [Item]) async {
        do {
            let outcomes = try await commit(batch)
            for (item, outcome) in zip(batch, outcomes) { item.reply.resume(with: outcome) }
        } catch let error as StorageError where error.isUnavailable {
            // The database is down: every item would fail the same way, each after its own
            // wait for a connection. Answer them all now (503).
            for item in batch { item.reply.resume(throwing: error) }
        } catch where batch.count > 1 {
            // The batch as a whole failed: find whose error it is by running each alone.
            for item in batch { await flush([item]) }
        } catch {
            batch[0].reply.resume(throwing: error)
        }
    }

    /// One unit of work for the whole batch; each item's own result.
    private func commit(_ batch: [Item]) async throws -> [Result<Committed, StrongroomError>] {
        try await persistence.write { [engine] work in
            let outcomes = try await engine.run(batch.map(\.command), store: work.ledger)
            var results: [Result<Committed, StrongroomError>] = []
            results.reserveCapacity(batch.count)
            for (item, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .success(let transaction):
                    results.append(.success(Committed(transaction: transaction, stored: try await item.complete(transaction, work))))
                case .failure(let error):
                    results.append(.failure(error))
                }
            }
            return results
        }
    }
}

extension ServerConfiguration {
    var groupCommit: GroupCommitter.Settings {
        GroupCommitter.Settings(
            maxBatch: groupCommitMaxBatch, flushes: groupCommitFlushes ?? GroupCommitter.Settings.defaultFlushes(for: databaseURL),
            maxWaitMicroseconds: groupCommitMaxWaitMicroseconds
        )
    }
}
