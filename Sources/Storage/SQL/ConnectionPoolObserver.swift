/// What the server is told about each connection a caller got from a database's pool: how
/// long it waited, from asking to holding it (`db.client.connection.wait_time`). Given to
/// `Persistence.open` so that Storage needs no metrics library: the server's closure records
/// the wait wherever its metrics go.
///
/// Called once per lease, on the caller's task, right after the connection is granted: it
/// must be quick and must not block. A wait that ends without a connection (the lease
/// timeout, a pool that gave up) is not reported; its caller gets `StorageError.unavailable`.
public struct ConnectionPoolObserver: Sendable {
    public let waited: @Sendable (Duration) -> Void

    public init(waited: @escaping @Sendable (Duration) -> Void) {
        self.waited = waited
    }
}
