import NIOCore

/// A task executor over one NIO event loop: a task that prefers it (`withTaskExecutorPreference`)
/// runs its nonisolated async code on that loop's thread, in the loop's own turns.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
