import Identity
import Logging
import Secrets
import Storage
import StrongroomKernel
import Synchronization

/// Holds the access-token service and reloads its keyring from the database when a token
/// names a key this process has not seen (another process added one), at most once a second.
final class TokenAuthority: Sendable {
    private let service: Mutex<AccessTokenService>
    private let lastReload = Mutex<Int64>(0)
    private let persistence: Persistence
    private let box: SecretBox
    private let settings: TokenSettings
    private let clock: any WallClock

    init(persistence: Persistence, box: SecretBox, settings: TokenSettings, clock: any WallClock) async throws {
        self.persistence = persistence
        self.box = box
        self.settings = settings
        self.clock = clock
        let keyring = try await SigningKeyring(records: persistence.identity.signingKeys(), box: box)
        self.service = Mutex(AccessTokenService(settings: settings, keyring: keyring, clock: clock))
    }

    var current: AccessTokenService { service.withLock { $0 } }

    func verify(_ token: String) async throws(AccessTokenService.Rejection) -> AccessTokenClaims {
        do {
            return try await current.verify(token)
        } catch .unknownKey {
            guard (try? await reloadIfDue()) == true else { throw .unknownKey }
            return try await current.verify(token)
        }
    }

    private func reloadIfDue() async throws -> Bool {
        let now = clock.now().microsecondsSinceEpoch
        let due = lastReload.withLock { last in
            guard now - last >= 1_000_000 else { return false }
            last = now
            return true
        }
        guard due else { return false }
        let keyring = try await SigningKeyring(records: persistence.identity.signingKeys(), box: box)
        let fresh = AccessTokenService(settings: settings, keyring: keyring, clock: clock)
        service.withLock { $0 = fresh }
        return true
    }
}
