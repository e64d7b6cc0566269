import Audit
import Bookkeeping
import Foundation
import HTTPTypes
import LedgerCore
import HummingbirdTesting
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// The group commit on real databases: concurrent postings share a unit of work, each is
/// answered with its own result, and an error of the batch as a whole reaches only the item
/// that caused it.
@Suite("Group commit")
struct GroupCommitTests {
    static func command(_ body: String, _ ledger: LedgerFixture) throws -> PostingCommand {
        .create(
            try JSONDecoder().decode(TransactionBody.self, from: Data(body.utf8)), form: .json,
            ledger: LedgerRef(organizationID: ledger.organization, ledgerID: ledger.ledger)
        )
    }

    /// A posting as a route submits it, its audit record's and (when given) its idempotency
    /// claim's values with it.
    static func submission(_ command: PostingCommand, claim: IdempotencyGate.Claim? = nil) -> PostingSubmission {
        PostingSubmission(
            command: command,
            audit: RequestAudit(action: "transaction.create", actor: .anonymous(from: nil), requestID: "group-commit-test", path: "/"),
            claim: claim
        )
    }

    /// Submits every command at once to a committer that lingers long enough for all of them
    /// to queue; answers each one's result in order. `claims` gives an item an idempotency
    /// claim by its index.
    static func submitTogether(
        _ commands: [PostingCommand], to committer: GroupCommitter, claims: [Int: IdempotencyGate.Claim] = [:]
    ) async -> [Result<Transaction, any Error>] {
        await withTaskGroup(of: (Int, Result<Transaction, any Error>).self) { group in
            for (index, command) in commands.enumerated() {
                group.addTask {
                    do {
                        let committed = try await committer.submit(Self.submission(command, claim: claims[index]))
                        return (index, .success(committed.transaction))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<Transaction, any Error>?](repeating: nil, count: commands.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }

    /// One series' value in the server's metrics exposition.
    static func series(_ name: String, _ prepared: ServerApp.Prepared) -> Double? {
        String(decoding: prepared.metrics.exposition(), as: UTF8.self).split(separator: "\n")
            .first { $0.hasPrefix(name + " ") }.flatMap { Double($0.dropFirst(name.count + 1)) }
    }

    /// Polls `condition` until it holds; fails after five seconds.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition() {
            try #require(ContinuousClock.now < deadline, "the condition never held")
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test(arguments: TestBackend.available)
    func concurrentPostingsShareOneUnitOfWorkAndFailAlone(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await TransactionBatchTests.funded(client)
            let committer = GroupCommitter(
                persistence: prepared.persistence, engine: PostingEngine(clock: prepared.clock), metrics: prepared.metrics.commit,
                settings: .init(maxBatch: 8, flushes: 1, maxWaitMicroseconds: 300_000)
            )
            let flushesBefore = try #require(Self.series("strongroom_group_commit_flush_seconds_count", prepared))
            let itemsBefore = try #require(Self.series("strongroom_group_commit_batch_size_sum", prepared))
            var bodies = (0..<7).map { _ in LedgerFixture.transfer("@a", "@b", "10.00") }
            bodies.insert(LedgerFixture.transfer("@c", "@b", "1.00"), at: 3)  // @c holds nothing
            let results = await Self.submitTogether(try bodies.map { try Self.command($0, ledger) }, to: committer)

            #expect(committer.statistics == .init(batches: 1, items: 8, largestBatch: 8))
            // The operator sees the same flush (the set-up's postings went through the server's
            // own committer, which counts into the same registry): one more flush, 8 more items.
            #expect(Self.series("strongroom_group_commit_flush_seconds_count", prepared) == flushesBefore + 1)
            #expect(Self.series("strongroom_group_commit_batch_size_sum", prepared) == itemsBefore + 8)
            for (index, result) in results.enumerated() {
                switch result {
                case .success: #expect(index != 3)
                case .failure(let error): #expect(index == 3 && (error as? StrongroomError)?.code == .insufficientFunds)
                }
            }
            #expect(try await ledger.money("@a") == ("30.00", "0.00"))
            #expect(try await ledger.money("@b") == ("70.00", "0.00"))
            try await BookAudit(base: ledger.base, fetch: ledger.fetch).verify()
        }
    }

    @Test(arguments: TestBackend.available)
    func anErrorOfTheWholeBatchReachesOnlyItsItem(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await TransactionBatchTests.funded(client)
            let committer = GroupCommitter(
                persistence: prepared.persistence, engine: PostingEngine(clock: prepared.clock), metrics: prepared.metrics.commit,
                settings: .init(maxBatch: 4, flushes: 1, maxWaitMicroseconds: 300_000)
            )
            let commands = try (0..<4).map { _ in try Self.command(LedgerFixture.transfer("@a", "@b", "10.00"), ledger) }
            // Item 2's idempotency scope is already stored (as when another process stored the
            // same key first): its stored answer violates the table's key, the whole batch rolls
            // back, and the re-run alone commits the other three.
            let taken = IdempotencyGate.Claim(
                scope: "scope-taken", requestHash: "digest", expiresAt: prepared.clock.now().adding(seconds: 600)
            )
            try await prepared.persistence.write { work in
                work.storeResponse(taken.record(of: StoredResponse(status: .created, body: Data("{}".utf8))))
            }
            let results = await Self.submitTogether(commands, to: committer, claims: [2: taken])
            #expect(results.map { (try? $0.get()) != nil } == [true, true, false, true])
            #expect(committer.statistics.batches == 1)
            #expect(try await ledger.money("@a") == ("70.00", "0.00"))
            #expect(try await ledger.money("@b") == ("30.00", "0.00"))
            let listed = try await ledger.get("/transactions?limit=50")
            #expect((try listed.object()["items"] as? [Any])?.count == 4, "the inflow and three transfers")
            try await BookAudit(base: ledger.base, fetch: ledger.fetch).verify()
        }
    }

    @Test func aBatchNeverExceedsItsBound() async throws {
        try await TestServer.with(.sqlite) { client, prepared, _ in
            let ledger = try await TransactionBatchTests.funded(client)
            let committer = GroupCommitter(
                persistence: prepared.persistence, engine: PostingEngine(clock: prepared.clock), metrics: prepared.metrics.commit,
                settings: .init(maxBatch: 3, flushes: 1, maxWaitMicroseconds: 200_000)
            )
            let commands = try (0..<10).map { _ in try Self.command(LedgerFixture.transfer("@a", "@b", "1.00"), ledger) }
            let results = await Self.submitTogether(commands, to: committer)
            #expect(results.allSatisfy { (try? $0.get()) != nil })
            let statistics = committer.statistics
            #expect(statistics.items == 10)
            #expect(statistics.largestBatch == 3)
            #expect(statistics.batches == 4)
            #expect(try await ledger.money("@b") == ("10.00", "0.00"))
        }
    }

    /// The shell performs the machine's refusals: a posting beyond the queue's bound is
    /// answered 503 (SR-9002) at once, and the one queued before it still commits.
    @Test func aFullQueueAnswersAtOnce() async throws {
        try await TestServer.with(.sqlite) { client, prepared, _ in
            let ledger = try await TransactionBatchTests.funded(client)
            let committer = GroupCommitter(
                persistence: prepared.persistence, engine: PostingEngine(clock: prepared.clock), metrics: prepared.metrics.commit,
                settings: .init(maxBatch: 8, flushes: 1, maxWaitMicroseconds: 300_000, maxQueuedCommands: 1)
            )
            let command = try Self.command(LedgerFixture.transfer("@a", "@b", "1.00"), ledger)
            let first = Task { try await committer.submit(Self.submission(command)) }
            try await Self.waitUntil { committer.queuedCount == 1 }  // the first lingers in the queue
            await #expect { _ = try await committer.submit(Self.submission(command)) } throws: { error in
                (error as? StrongroomError)?.code == .postingQueueUnavailable
            }
            _ = try await first.value
            #expect(committer.statistics == .init(batches: 1, items: 1, largestBatch: 1))
            #expect(try await ledger.money("@b") == ("1.00", "0.00"))
        }
    }

    /// At shutdown what is queued is flushed and answered (a linger is cut short), and what
    /// comes after is answered 503 (SR-9002).
    @Test(arguments: TestBackend.available)
    func shutdownFlushesWhatIsQueuedAndRefusesTheRest(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, _ in
            let ledger = try await TransactionBatchTests.funded(client)
            let committer = GroupCommitter(
                persistence: prepared.persistence, engine: PostingEngine(clock: prepared.clock), metrics: prepared.metrics.commit,
                settings: .init(maxBatch: 8, flushes: 1, maxWaitMicroseconds: 5_000_000)
            )
            let command = try Self.command(LedgerFixture.transfer("@a", "@b", "1.00"), ledger)
            let queued = (0..<3).map { _ in Task { try await committer.submit(Self.submission(command)) } }
            try await Self.waitUntil { committer.queuedCount == 3 }  // all three wait out a long linger
            let start = ContinuousClock.now
            await committer.shutdown()
            #expect(ContinuousClock.now - start < .seconds(4), "shutdown does not wait out the linger")
            for task in queued { _ = try await task.value }
            #expect(committer.statistics == .init(batches: 1, items: 3, largestBatch: 3))
            await #expect { _ = try await committer.submit(Self.submission(command)) } throws: { error in
                (error as? StrongroomError)?.code == .postingQueueUnavailable
            }
            #expect(try await ledger.money("@b") == ("3.00", "0.00"))
        }
    }
}
