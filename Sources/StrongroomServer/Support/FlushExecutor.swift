import NIOCore
import NIOPosix

/// A task executor over one event-loop thread, for a group-commit flush slot: every job of a
/// task that prefers it (the flush, and the nonisolated async calls it makes into the engine
/// and the stores) runs on that thread. A statement's answer then resumes the flush at once,
/// instead of queueing on the shared cooperative pool behind the requests being decoded and
/// answered meanwhile; the flush is the serial section of the write path, so its wall time
/// is the throughput.
final class FlushExecutor: TaskExecutor {
    /// The threads flush slots run on, shared by every committer of the process (a test
    /// process runs many servers) and never stopped, like NIO's own singletons. Slots take
    /// them in turn; four covers PostgreSQL's default of four flushes at once.
    private static let threads = MultiThreadedEventLoopGroup(numberOfThreads: 4)

    private let loop: any EventLoop

    /// An executor on the next of the shared threads.
    init() {
        self.loop = Self.threads.next()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
