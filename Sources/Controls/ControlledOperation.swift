/// What a request does with the accounts it touches: the columns of the table of effects
/// ("Controls: what may move" in docs/ARCHITECTURE.md). Send and receive are one operation,
/// a new posting, seen from its two sides.
public enum ControlledOperation: Sendable, Equatable, CaseIterable {
    /// A new transaction, posted or pending: its sources send, its destinations receive.
    case post
    /// A pending transaction commits: its held money leaves the sources for the destinations.
    case commit
    /// A pending transaction is cancelled on request: the held money returns to the sources.
    case cancel
    /// The sweeper cancels a pending transaction whose expiry has passed.
    case expiry
    /// The inverse of an approved transaction is posted.
    case revert
    /// Any read of an entity, a balance, a transaction or an operation.
    case read
}

/// Which side of a transaction an account is on.
public enum LegSide: Sendable, Equatable, CaseIterable {
    case source
    case destination
}
