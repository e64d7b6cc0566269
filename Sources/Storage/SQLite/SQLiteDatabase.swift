import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// The embedded backend: one file, WAL mode, `synchronous=FULL` so that a write is on disk
/// before it is acknowledged (it survives a process kill and a power cut).
///
/// SQLite allows one writer at a time, so there is one writer connection, held for the
/// whole of a transaction by an async lock, and a few reader connections, which WAL lets
/// run beside the writer without blocking it. A write transaction runs on the writer's own
/// thread from its first statement to its commit, each statement a plain call there.
public final class SQLiteDatabase: SQLDatabase {
    public static let readerCount = 4
    /// How long a connection waits for another process's lock before failing.
    static let busyTimeoutMilliseconds = 5000
    /// Each connection's page cache.
    static let pageCacheKibibytes = 32 * 1024
    /// How long a migration run waits for another process's run to finish.
    static let migrationBusyTimeoutMilliseconds = 120_000

    private let threads: Threads
    private let writer: SQLiteHandle
    private let writeLock = AsyncLock()
    private let readers: ReaderPool
    private let checkpointer: SQLiteCheckpointer
    /// The writer, lent to one transaction at a time: the pool a caller waits for.
    private let pool: ConnectionPoolMeter
    public let direct: any SQLExecutor

    public var dialect: SQLDialect { .sqlite }

    public var connectionPoolUse: ConnectionPoolUse { pool.use }

    private init(
        threads: Threads, writer: SQLiteHandle, readers: [SQLiteHandle], checkpointConnection: SQLiteHandle, observer: ConnectionPoolObserver?
    ) {
        self.threads = threads
        self.writer = writer
        self.pool = ConnectionPoolMeter(maximum: 1, alwaysOpen: true, observer: observer)
        self.readers = ReaderPool(connections: readers)
        self.direct = ReaderExecutor(pool: self.readers, threads: threads.readers)
        self.checkpointer = SQLiteCheckpointer(executor: SQLiteExecutor(handle: checkpointConnection, pool: threads.checkpointer))
    }

    /// - Parameter observer: told how long each transaction waited for the writer.
    public static func open(path: String, observer: ConnectionPoolObserver? = nil) async throws -> SQLiteDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let threads = Threads()
        do {
            return try await open(path: path, threads: threads, observer: observer)
        } catch {
            await threads.shutdown()
            throw error
        }
    }

    private static func open(path: String, threads: Threads, observer: ConnectionPoolObserver?) async throws -> SQLiteDatabase {
        // Opening and setting up connections blocks (it may wait on another process's lock):
        // on the checkpointer's thread, idle until the database is open.
        try await threads.checkpointer.runIfActive {
            let writer = try connect(path: path)
            // WAL is a property of the file: set once by the writer, seen by every connection.
            _ = try writer.query("PRAGMA journal_mode=WAL", [])
            _ = try writer.query("PRAGMA wal_autocheckpoint=\(SQLiteCheckpointer.fallbackPages)", [])
            // Deleted content is overwritten with zeros, in its page and in pages freed whole,
            // so an erased holder's wrapped key and sealed fields leave the file once their
            // pages are checkpointed (`discardDeletedResidue`). Only the writer deletes.
            // sqlite-nio's build already defaults to it (SQLITE_SECURE_DELETE); set here so
            // that erasure does not hang on how SQLite was compiled.
            _ = try writer.query("PRAGMA secure_delete=ON", [])
            let checkpointConnection = try connect(path: path)
            var readers: [SQLiteHandle] = []
            for _ in 0..<readerCount {
                let reader = try connect(path: path)
                _ = try reader.query("PRAGMA query_only=ON", [])
                readers.append(reader)
            }
            // The database file holds secrets sealed under the master key and password
            // hashes: keep it (and its WAL) readable by the service's user only.
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                chmod(path + suffix, 0o600)
            }
            return SQLiteDatabase(
                threads: threads, writer: writer, readers: readers, checkpointConnection: checkpointConnection, observer: observer
            )
        }
    }

    private static func connect(path: String) throws -> SQLiteHandle {
        let connection = try SQLiteHandle.open(path: path)
        // A bounded wait for another process's lock, where SQLite's default is to fail at once.
        _ = try connection.query("PRAGMA busy_timeout=\(busyTimeoutMilliseconds)", [])
        _ = try connection.query("PRAGMA synchronous=FULL", [])
        _ = try connection.query("PRAGMA foreign_keys=ON", [])
        // A row that `INSERT OR REPLACE` / `UPDATE OR REPLACE` removes to make room fires the
        // table's DELETE triggers only with this on; otherwise a REPLACE would remove a row
        // of the audit chain or the ledger's history past their append-only triggers.
        _ = try connection.query("PRAGMA recursive_triggers=ON", [])
        // Statement journals (a statement's undo inside a transaction) in memory, not in a
        // temporary file written on every multi-row statement: they protect a statement's
        // rollback, not durability, which is the WAL's job.
        _ = try connection.query("PRAGMA temp_store=MEMORY", [])
        // A page cache of its own large enough for the hot indexes, instead of re-reading
        // them from the operating system on every statement (the default is 2 MiB).
        _ = try connection.query("PRAGMA cache_size=-\(pageCacheKibibytes)", [])
        return connection
    }

    /// Runs `body` as one transaction on the writer connection. The whole of it runs on the
    /// writer's thread (`Threads.writer`, preferred by the task meanwhile): each statement
    /// is a plain call there, its fsync included, and the code between statements (the
    /// posting engine, the audit chain) runs there too instead of hopping back to the shared
    /// pool after each one. This relies on the stores' async functions being nonisolated,
    /// which run on a task's preferred executor.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(threads.writer) {
            let asked = pool.asking()
            return try await writeLock.withLock {
                pool.granted(askedAt: asked)
                defer { pool.released() }
                // IMMEDIATE takes the write lock up front, so a transaction never fails halfway
                // through on a lock another process took after its first read.
                let result = try await SQLiteExecutor(handle: writer, pool: nil).inTransaction(begin: "BEGIN IMMEDIATE", body)
                checkpointer.committed(pages: writer.takePagesWritten())
                return result
            }
        }
    }

    public func withMigrationLock<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        // SQLite's DDL is transactional and BEGIN IMMEDIATE excludes every other writer,
        // in this process and in any other: the whole migration run is one transaction.
        // Another process's run may hold the lock for longer than a statement ever should
        // (a first migration on a loaded machine), so this wait is the longer one: a process
        // starting beside it waits for it to finish instead of failing its start.
        try await withTaskExecutorPreference(threads.writer) {
            try await writeLock.withLock {
                let executor = SQLiteExecutor(handle: writer, pool: nil)
                try await executor.execute("PRAGMA busy_timeout=\(Self.migrationBusyTimeoutMilliseconds)")
                let result: Result<T, any Error>
                do {
                    result = .success(try await executor.inTransaction(begin: "BEGIN IMMEDIATE", body))
                } catch {
                    result = .failure(error)
                }
                try await executor.execute("PRAGMA busy_timeout=\(Self.busyTimeoutMilliseconds)")
                return try result.get()
            }
        }
    }

    public func ping() async -> Bool {
        (try? await direct.queryOne("SELECT 1 AS one")) != nil
    }

    /// Copies every committed frame into the database file and truncates the write-ahead log
    /// to nothing, on the writer's connection between transactions: the log's older frames
    /// still hold the pages as they were before a deletion. False when a reader's snapshot
    /// kept the checkpoint from finishing within the busy timeout; a later one then does.
    public func discardDeletedResidue() async throws -> Bool {
        try await withTaskExecutorPreference(threads.writer) {
            try await writeLock.withLock {
                let row = try await SQLiteExecutor(handle: writer, pool: nil).queryOne("PRAGMA wal_checkpoint(TRUNCATE)")
                return try row?.int("busy") == 0
            }
        }
    }

    public func close() async {
        await checkpointer.stop()
        // After the last writer and reader: a transaction or read still running holds its
        // connection's lock until it ends, and close waits for that lock.
        try? await writeLock.withLock {
            for connection in readers.connections + [writer] { connection.close() }
        }
        await threads.shutdown()
    }
}

/// The threads SQLite's calls run on. They block their thread (a busy wait on another
/// process's lock, an fsync), so they get threads of their own and never starve the rest of
/// the process. The writer and the checkpointer each have one to themselves: the writer's
/// transactions are the serial group-commit flush, and on a pool shared with the readers
/// each statement would queue behind whatever reads the requests had queued (measured: 2–8 %
/// more single transfers per second with the writer's own thread).
private struct Threads: Sendable {
    /// The writer's thread, as a task executor: a task that prefers it runs its nonisolated
    /// async code there, so a write transaction's statements and the code between them run
    /// on one thread with no hop between them.
    let writer: EventLoopTaskExecutor
    private let writerThread = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let checkpointer = NIOThreadPool(numberOfThreads: 1)
    let readers = NIOThreadPool(numberOfThreads: SQLiteDatabase.readerCount)

    init() {
        writer = EventLoopTaskExecutor(loop: writerThread.next())
        for pool in [checkpointer, readers] { pool.start() }
    }

    func shutdown() async {
        for pool in [checkpointer, readers] { try? await pool.shutdownGracefully() }
        try? await writerThread.shutdownGracefully()
    }
}

/// The reader connections, handed out in turn.
private final class ReaderPool: Sendable {
    let connections: [SQLiteHandle]
    private let next = Atomic<UInt>(0)

    init(connections: [SQLiteHandle]) { self.connections = connections }

    func pick() -> SQLiteHandle {
        connections[Int(next.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(connections.count))]
    }
}

/// Spreads direct reads over the reader connections, on the readers' threads.
private struct ReaderExecutor: SQLExecutor {
    let pool: ReaderPool
    let threads: NIOThreadPool

    var dialect: SQLDialect { .sqlite }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await SQLiteExecutor(handle: pool.pick(), pool: threads).query(sql, binds)
    }
}
