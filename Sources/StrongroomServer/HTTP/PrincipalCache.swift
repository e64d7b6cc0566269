import Identity
import StrongroomKernel
import Synchronization

/// Resolved principals by token id, for a few seconds: saves the user and group reads on
/// every request while keeping the promise that a disabled user or a changed grant takes
/// effect everywhere within 10 seconds.
final class PrincipalCache: Sendable {
    static let lifetimeMicroseconds: Int64 = 5_000_000
    static let maxEntries = 50_000

    private struct Entry {
        let principal: Principal
        let validUntil: Int64
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let clock: any WallClock

    init(clock: any WallClock) { self.clock = clock }

    func principal(tokenID: String) -> Principal? {
        let now = clock.now().microsecondsSinceEpoch
        return entries.withLock { entries in
            guard let entry = entries[tokenID], entry.validUntil > now else { return nil }
            return entry.principal
        }
    }

    func store(_ principal: Principal, expiresAt tokenExpiry: Int64) {
        let now = clock.now().microsecondsSinceEpoch
        let validUntil = min(now + Self.lifetimeMicroseconds, tokenExpiry * 1_000_000)
        entries.withLock { entries in
            if entries.count >= Self.maxEntries {
                entries = entries.filter { $0.value.validUntil > now }
                // Still full of live entries: start over rather than grow without bound.
                if entries.count >= Self.maxEntries { entries.removeAll(keepingCapacity: true) }
            }
            entries[principal.tokenID] = Entry(principal: principal, validUntil: validUntil)
        }
    }
}
