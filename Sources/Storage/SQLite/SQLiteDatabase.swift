import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO
import Synchronization

/// The embedded backend: one file, WAL mode, `synchronous=FULL` so that a write is on disk
/// before it is acknowledged (it survives a process kill and a power cut).
///
/// SQLite allows one writer at a time, so there is one writer connection, held for the
/// whole of a transaction by an async lock, and a few reader connections, which WAL lets
/// run beside the writer without blocking it.
public final class SQLiteDatabase: SQLDatabase {
    public static let readerCount = 4
    /// How long a connection waits for another process's lock before failing.
    static let busyTimeoutMilliseconds = 5000
    /// Each connection's page cache.
    static let pageCacheKibibytes = 32 * 1024
    /// How long a migration run waits for another process's run to finish.
    static let migrationBusyTimeoutMilliseconds = 120_000

    private let threads: Threads
    private let writer: SQLiteConnection
    private let writeLock = AsyncLock()
    private let readers: ReaderPool
    private let checkpointer: SQLiteCheckpointer
    public let direct: any SQLExecutor

    public var dialect: SQLDialect { .sqlite }

    private init(threads: Threads, writer: SQLiteConnection, readers: [SQLiteConnection], checkpointConnection: SQLiteConnection) {
        self.threads = threads
        self.writer = writer
        self.readers = ReaderPool(connections: readers)
        self.direct = ReaderExecutor(pool: self.readers)
        self.checkpointer = SQLiteCheckpointer(connection: checkpointConnection)
    }

    public static func open(path: String, logger: Logger) async throws -> SQLiteDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let threads = Threads()
        do {
            return try await open(path: path, threads: threads, logger: logger)
        } catch {
            await threads.shutdown()
            throw error
        }
    }

    private static func open(path: String, threads: Threads, logger: Logger) async throws -> SQLiteDatabase {
        let writer = try await connect(path: path, threads: threads.writer, logger: logger)
        // WAL is a property of the file: set once by the writer, seen by every connection.
        try await SQLiteExecutor(connection: writer).execute("PRAGMA journal_mode=WAL")
        try await SQLiteExecutor(connection: writer).execute("PRAGMA wal_autocheckpoint=\(SQLiteCheckpointer.fallbackPages)")
        let checkpointConnection = try await connect(path: path, threads: threads.checkpointer, logger: logger)
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            let reader = try await connect(path: path, threads: threads.readers, logger: logger)
            try await SQLiteExecutor(connection: reader).execute("PRAGMA query_only=ON")
            readers.append(reader)
        }
        // The database file holds secrets sealed under the master key and password hashes:
        // keep it (and its WAL) readable by the service's user only.
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            chmod(path + suffix, 0o600)
        }
        return SQLiteDatabase(threads: threads, writer: writer, readers: readers, checkpointConnection: checkpointConnection)
    }

    private static func connect(path: String, threads: NIOThreadPool, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: threads, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
        )
        let executor = SQLiteExecutor(connection: connection)
        // busy_timeout replaces the library's spin-forever busy handler with a bounded wait.
        try await executor.execute("PRAGMA busy_timeout=\(busyTimeoutMilliseconds)")
        try await executor.execute("PRAGMA synchronous=FULL")
        try await executor.execute("PRAGMA foreign_keys=ON")
        // Statement journals (a statement's undo inside a transaction) in memory, not in a
        // temporary file written on every multi-row statement: they protect a statement's
        // rollback, not durability, which is the WAL's job.
        try await executor.execute("PRAGMA temp_store=MEMORY")
        // A page cache of its own large enough for the hot indexes, instead of re-reading
        // them from the operating system on every statement (the default is 2 MiB).
        try await executor.execute("PRAGMA cache_size=-\(pageCacheKibibytes)")
        return connection
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await writeLock.withLock {
            // IMMEDIATE takes the write lock up front, so a transaction never fails halfway
            // through on a lock another process took after its first read.
            let result = try await SQLiteExecutor(connection: writer).inTransaction(begin: "BEGIN IMMEDIATE", body)
            checkpointer.committed()
            return result
        }
    }

    public func withMigrationLock<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        // SQLite's DDL is transactional and BEGIN IMMEDIATE excludes every other writer,
        // in this process and in any other: the whole migration run is one transaction.
        // Another process's run may hold the lock for longer than a statement ever should
        // (a first migration on a loaded machine), so this wait is the longer one: a process
        // starting beside it waits for it to finish instead of failing its start.
        try await writeLock.withLock {
            let executor = SQLiteExecutor(connection: writer)
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

    public func ping() async -> Bool {
        (try? await direct.queryOne("SELECT 1 AS one")) != nil
    }

    public func close() async {
        await checkpointer.stop()
        for connection in readers.connections + [writer] { try? await connection.close() }
        await threads.shutdown()
    }
}

/// The threads SQLite's calls run on. They block their thread (a busy wait on another
/// process's lock, an fsync), so they get threads of their own and never starve the rest of
/// the process. The writer and the checkpointer each have one to themselves: the writer's
/// statements are the serial group-commit flush, and on a pool shared with the readers each
/// of them would queue behind whatever reads the requests had queued (measured: 2–8 % more
/// single transfers per second with the writer's own thread).
private struct Threads: Sendable {
    let writer = NIOThreadPool(numberOfThreads: 1)
    let checkpointer = NIOThreadPool(numberOfThreads: 1)
    let readers = NIOThreadPool(numberOfThreads: SQLiteDatabase.readerCount)

    init() {
        for pool in [writer, checkpointer, readers] { pool.start() }
    }

    func shutdown() async {
        for pool in [writer, checkpointer, readers] { try? await pool.shutdownGracefully() }
    }
}

/// The reader connections, handed out in turn.
private final class ReaderPool: Sendable {
    let connections: [SQLiteConnection]
    private let next = Atomic<UInt>(0)

    init(connections: [SQLiteConnection]) { self.connections = connections }

    func pick() -> SQLiteConnection {
        connections[Int(next.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(connections.count))]
    }
}

/// Spreads direct reads over the reader connections.
private struct ReaderExecutor: SQLExecutor {
    let pool: ReaderPool

    var dialect: SQLDialect { .sqlite }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await SQLiteExecutor(connection: pool.pick()).query(sql, binds)
    }
}
