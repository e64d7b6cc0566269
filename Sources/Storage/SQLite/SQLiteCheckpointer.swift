import Synchronization

/// Copies committed WAL frames back into the database file on a connection and thread of
/// its own, so that the writer's commits do not.
///
/// By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: the
/// committing connection copies those pages into the database file and fsyncs it, and on
/// this backend that commit is the group-commit flush, the serial section every posting
/// waits on. Here the writer's automatic checkpoint is moved far out (`fallbackPages`, a
/// bound on the WAL should this connection ever fall behind) and the writer's commits nudge
/// this one instead, once they have written `pagesPerRun` pages since the last nudge: a
/// PASSIVE checkpoint copies what is committed and not in use by a reader, without taking
/// the write lock, while the writer goes on with its next transaction. Nudges while a
/// checkpoint runs collapse into one more run. Not after every commit: a checkpoint fsyncs
/// the database file, and one per small commit would double a quiet server's fsyncs for
/// nothing. Pages, not commits, because a flush of single transfers writes about 400 pages
/// and a batch of 1,000 transfers 1,500 to 4,600 (more as the indexes grow): counted in
/// commits, batches reached the backstop first and the writer did the copying itself.
/// Durability is unchanged: a commit is durable once its WAL frames are fsynced, which the
/// writer still does itself (`synchronous=FULL`).
final class SQLiteCheckpointer: Sendable {
    /// The writer's own automatic checkpoint, kept as a backstop: 16,384 pages (64 MiB).
    static let fallbackPages = 16_384
    /// How many pages written to the WAL one checkpoint run follows (4 MiB of 4 KiB pages,
    /// SQLite's own threshold): about three flushes of single transfers under load, every
    /// batch of 1,000. Smaller runs mean shorter fsyncs of the database file, which share
    /// the disk with the writer's fsyncs of the WAL: against 2,048 and 4,096 pages, single
    /// transfers' p99 fell from 51-80 ms to 46-49 ms; batches lost about a tenth against
    /// 4,096 (docs/PERFORMANCE.md, "Eighth measurement").
    static let pagesPerRun = 1_024

    private let pagesSinceRun = Atomic<Int>(0)
    private let nudges: AsyncStream<Void>.Continuation
    private let worker: Task<Void, Never>

    /// Takes `executor`'s connection over: it is this checkpointer's alone, and `stop`
    /// closes it.
    init(executor: SQLiteExecutor) {
        let (stream, nudges) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.nudges = nudges
        self.worker = Task {
            for await _ in stream {
                // A failed checkpoint loses nothing (the frames stay in the WAL, readable and
                // durable); the next nudge, or the writer's backstop, copies them.
                try? await executor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            }
            executor.handle.close()
        }
    }

    /// A transaction committed, having written `pages` pages to the WAL: once they add up
    /// to `pagesPerRun`, copy the frames back. Called by the writer only, one commit at a time.
    func committed(pages: Int) {
        let pending = pagesSinceRun.add(pages, ordering: .relaxed).newValue
        guard pending >= Self.pagesPerRun else { return }
        pagesSinceRun.store(0, ordering: .relaxed)
        nudges.yield()
    }

    /// Stops after the checkpoint in progress, if any, and closes the connection.
    func stop() async {
        nudges.finish()
        await worker.value
    }
}
