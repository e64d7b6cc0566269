import Holders
import Secrets
import Storage
import StrongroomKernel
import Synchronization

/// The server's keys for holders' personal data, per organization ("Holders: personal data
/// sealed field by field" in docs/ARCHITECTURE.md): what turns an organization's
/// `SealedOrganizationKey` rows (`holder_organization_keys`) into the `HolderKeyProvider` that
/// wraps and unwraps its holders' data keys and makes its blind-index terms.
///
/// Two calls, and nothing else:
/// - `provider(organizationID:)` for a read: the organization's provider, or nil while it has
///   no keys (no holder was ever created there, so there is nothing to open or find).
/// - `provisionedProvider(organizationID:)` for a write that creates a holder: the same,
///   making the organization's key-encryption key and blind index key first (version 1 each,
///   random, sealed under the master key with the server's `SecretBox`) when it has none.
///
/// Provisioning is safe against a race, between requests of one process and between
/// processes on one database: both keys are inserted in one transaction of their own, a
/// second insert of the same organization, kind and version is refused by the table's
/// primary key (`UniqueViolation`), and the loser then reads the winner's rows. Every caller
/// ends with the one key set the table holds. It runs before, not inside, the holder's own
/// unit of work: on PostgreSQL a refused insert aborts its transaction, which must not be
/// the one carrying the holder.
///
/// Opened keys are kept in memory per organization (at most `maxCachedOrganizations`, then
/// the cache starts again), since the rows never change: a key is never rewritten, and a
/// rotation (issue 30) adds a version, which will have to drop the organization's entry.
/// An organization without keys is never cached, so another process's provisioning is seen
/// on the next read.
final class HolderKeyring: Sendable {
    static let maxCachedOrganizations = 10_000

    private let persistence: Persistence
    private let box: SecretBox
    private let clock: any WallClock
    private let opened = Mutex<[String: MasterKeyProvider]>([:])

    init(persistence: Persistence, box: SecretBox, clock: any WallClock) {
        self.persistence = persistence
        self.box = box
        self.clock = clock
    }

    /// The organization's key provider, or nil when it has no keys yet.
    func provider(organizationID: String) async throws -> (any HolderKeyProvider)? {
        if let known = opened.withLock({ $0[organizationID] }) { return known }
        let rows = try await persistence.holders.organizationKeys(organizationID: organizationID)
        guard !rows.isEmpty else { return nil }
        let provider = try MasterKeyProvider(secretBox: box, sealedKeys: rows)
        // Half a key set (a row added by hand) is not a provider to keep.
        _ = try provider.currentKeyEncryptionKeyVersion(organizationID: organizationID)
        _ = try provider.blindIndex(organizationID: organizationID)
        opened.withLock { cache in
            if cache.count >= Self.maxCachedOrganizations { cache.removeAll() }
            cache[organizationID] = provider
        }
        return provider
    }

    /// The organization's key provider, its keys made first if it has none.
    func provisionedProvider(organizationID: String) async throws -> any HolderKeyProvider {
        if let provider = try await provider(organizationID: organizationID) { return provider }
        let keys = try [SealedOrganizationKey.Kind.keyEncryption, .blindIndex].map { kind throws(HolderSealingError) in
            try SealedOrganizationKey.generate(kind, organizationID: organizationID, version: .first, sealingWith: box)
        }
        let now = clock.now()
        do {
            try await persistence.write { work in
                for key in keys { try await work.holders.addOrganizationKey(key, at: now) }
            }
        } catch is UniqueViolation {
            // Another request or process provisioned the organization first: its keys stand.
        }
        guard let provider = try await provider(organizationID: organizationID) else {
            throw HolderSealingError.noKeyEncryptionKey(organizationID: organizationID, version: nil)
        }
        return provider
    }
}
