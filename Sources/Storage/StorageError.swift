import StrongroomKernel

/// Failures below the stores. `unavailable` is the database being unreachable (503 to a
/// client); the rest are bugs or operator errors and are never shown in detail to a client.
public enum StorageError: Error, Sendable, CustomStringConvertible {
    case unavailable(String)
    case decoding(String)
    case migration(String)
    case configuration(String)

    /// The database could not be reached: no request's fault, and no use retrying at once.
    public var isUnavailable: Bool {
        if case .unavailable = self { true } else { false }
    }

    public var description: String {
        switch self {
        case .unavailable(let reason): "database unavailable: \(reason)"
        case .decoding(let reason): "unexpected stored data: \(reason)"
        case .migration(let reason): "migration failed: \(reason)"
        case .configuration(let reason): reason
        }
    }
}

/// A database out of reach is the one storage failure a client is told of (503, retry
/// shortly); every other is a bug or a broken deployment, answered 500.
extension StorageError: ClientFacingError {
    public var clientProblem: StrongroomError? { isUnavailable ? .databaseUnavailable : nil }
}

extension StrongroomError {
    public static let databaseUnavailable = StrongroomError(
        .serviceUnavailable, "The database is not reachable; retry shortly."
    )
}
