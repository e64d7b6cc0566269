/// How many of a database's connections are lent out now, as the server's metrics read it
/// (`db.client.connection.count` and `db.client.connection.max`).
///
/// SQLite's pool is its one writer connection, the only connection a caller waits for (the
/// readers are handed out in turn without a wait); it is always open, so what is not used is
/// idle. PostgreSQL's pool opens and closes connections by itself and does not say how many
/// are open, so its idle count is unknown (`idle` is nil): only the connections this process
/// holds are counted.
public struct ConnectionPoolUse: Sendable, Equatable {
    public let used: Int
    /// Open connections nobody holds; nil when the backend cannot tell.
    public let idle: Int?
    /// The most connections the pool may hold open.
    public let maximum: Int

    public init(used: Int, idle: Int?, maximum: Int) {
        self.used = used
        self.idle = idle
        self.maximum = maximum
    }
}
