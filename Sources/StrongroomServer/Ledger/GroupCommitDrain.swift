import ServiceLifecycle

/// Group commit's part in a graceful stop. The service group stops this right after the HTTP
/// server (it is the last of the application's services, and they stop in reverse order), so
/// by then every request in flight has had its answer; what is still queued is flushed and
/// answered, and a posting that arrives after is refused 503 (SR-9002) rather than left
/// waiting on a committer that will not run again. Then the audit outbox and checkpoint
/// services stop, and their last flush carries the audit records of those answers.
struct GroupCommitDrain: Service {
    let committer: GroupCommitter

    func run() async throws {
        // Returns when the graceful stop begins, or throws when the task is cancelled: both
        // mean it is time to drain.
        try? await gracefulShutdown()
        await committer.shutdown()
    }
}
