import Identity
import Logging
import Secrets
import Storage
import StrongroomKernel
import Synchronization

/// Holds the access-token service and reloads its keyring from the database when a token
/// names a key this process has not seen (another process added one), at most once a second,
/// and before signing when the keyring is older than `signingRefreshMicroseconds`: a key
/// rotated in one process signs in all of them within that time.
final class TokenAuthority: Sendable {
    static let signingRefreshMicroseconds: Int64 = 30_000_000
    /// How often a token naming an unknown key may make this process read the keyring.
    static let unknownKeyReloadMicroseconds: Int64 = 1_000_000

    private let service: Mutex<AccessTokenService>
    private let reloads: ReloadGate
    private let persistence: Persistence
    private let box: SecretBox
    private let settings: TokenSettings
    private let clock: any WallClock

    init(persistence: Persistence, box: SecretBox, settings: TokenSettings, clock: any WallClock) async throws {
        self.persistence = persistence
        self.box = box
        self.settings = settings
        self.clock = clock
        let keyring = try await SigningKeyring(records: persistence.identity.signingKeys(), box: box, now: clock.now())
        self.service = Mutex(AccessTokenService(settings: settings, keyring: keyring, clock: clock))
        self.reloads = ReloadGate(clock: clock)
    }

    var current: AccessTokenService { service.withLock { $0 } }

    /// The service to sign with: the newest key, reloaded first when the keyring is stale.
    func signer() async throws -> AccessTokenService {
        if reloads.age >= Self.signingRefreshMicroseconds { try await reload() }
        return current
    }

    /// Reads the keyring again now (after this process rotated the key, say).
    func reload() async throws {
        let keyring = try await SigningKeyring(records: persistence.identity.signingKeys(), box: box, now: clock.now())
        let fresh = AccessTokenService(settings: settings, keyring: keyring, clock: clock)
        reloads.markReloaded()
        service.withLock { $0 = fresh }
    }

    func verify(_ token: String) async throws(AccessTokenService.Rejection) -> AccessTokenClaims {
        do {
            return try await current.verify(token)
        } catch .unknownKey {
            guard reloads.claim(every: Self.unknownKeyReloadMicroseconds), (try? await reload()) != nil else { throw .unknownKey }
            return try await current.verify(token)
        }
    }
}
