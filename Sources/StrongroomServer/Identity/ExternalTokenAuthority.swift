import Foundation
import Identity
import Logging
import StrongroomEdge
import StrongroomKernel
import Synchronization

/// Verifies tokens of the configured outside identity provider, and reads its key set again
/// from the file when a token names a key this process does not know (the provider rotated
/// its keys), at most once every `reloadIntervalMicroseconds`. A file that no longer reads as
/// a valid key set is logged and the keys already loaded stay in use.
final class ExternalTokenAuthority: Sendable {
    static let reloadIntervalMicroseconds: Int64 = 10_000_000

    private let verifier: Mutex<ExternalTokenVerifier>
    private let reloads: ReloadGate
    private let configuration: ExternalIssuerConfiguration
    private let clock: any WallClock
    private let logger: Logger

    /// Fails when the key file cannot be read or is not a key set we accept: a server that
    /// started without the keys would refuse every outside caller without saying why.
    init(configuration: ExternalIssuerConfiguration, clock: any WallClock, logger: Logger) async throws {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        let keys = try await Self.readKeys(configuration.keySetPath)
        verifier = Mutex(ExternalTokenVerifier(issuer: configuration.issuer, keys: keys, clock: clock))
        reloads = ReloadGate(clock: clock)
        logger.notice(
            "trusting tokens of an outside issuer",
            metadata: ["issuer": "\(configuration.issuer.issuer)", "kids": "\(keys.keyIDs.joined(separator: ","))"]
        )
    }

    var issuer: ExternalIssuer { configuration.issuer }

    /// Whether the token says it comes from the outside issuer (unverified: only to choose
    /// which verifier checks it).
    func claimsIssuer(_ token: String) -> Bool {
        verifier.withLock { $0 }.isIssuer(of: token)
    }

    func verify(_ token: String) async throws(AccessTokenService.Rejection) -> ExternalIdentity {
        do {
            return try await verifier.withLock { $0 }.verify(token)
        } catch .unknownKey {
            guard await reloadIfDue() else { throw .unknownKey }
            return try await verifier.withLock { $0 }.verify(token)
        }
    }

    private func reloadIfDue() async -> Bool {
        guard reloads.claim(every: Self.reloadIntervalMicroseconds) else { return false }
        do {
            let keys = try await Self.readKeys(configuration.keySetPath)
            let fresh = ExternalTokenVerifier(issuer: configuration.issuer, keys: keys, clock: clock)
            verifier.withLock { $0 = fresh }
            logger.notice("reloaded the outside issuer's keys", metadata: ["kids": "\(keys.keyIDs.joined(separator: ","))"])
            return true
        } catch {
            logger.error("the outside issuer's key file could not be reloaded; keeping the keys in use", metadata: ["reason": "\(error)"])
            return false
        }
    }

    static func readKeys(_ path: String) async throws -> ExternalKeySet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("externalIssuerJwksFile names \(path), which cannot be read")
        }
        do {
            return try await ExternalKeySet(json: Array(data))
        } catch {
            throw ConfigurationError(error.description)
        }
    }
}
