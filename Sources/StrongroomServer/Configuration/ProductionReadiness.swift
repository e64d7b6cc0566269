import Secrets
import Storage
import StrongroomKernel

/// What `--environment production` insists on before it serves anything. Each refusal is
/// one line that says what is missing.
public enum ProductionReadiness {
    public static func check(_ config: ServerConfiguration) throws {
        guard config.environment == .production else { return }
        guard config.tlsEnabled || config.tlsTerminatedUpstream else {
            throw ConfigurationError(
                "production needs TLS: give --tls-cert and --tls-key, or --tls-terminated-upstream when a proxy terminates TLS"
            )
        }
        guard let masterKey = config.masterKey else {
            throw ConfigurationError("production needs a master key: set STRONGROOM_MASTER_KEY or STRONGROOM_MASTER_KEY_FILE")
        }
        let secrets: [(String, String?)] = [
            ("STRONGROOM_MASTER_KEY", masterKey.revealed),
            ("STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD", config.bootstrapAdminPassword?.revealed),
            ("the password in --database-url", config.databaseURL.password?.revealed),
            ("the password in --database-owner-url", config.databaseOwnerURL.password?.revealed),
        ]
        for (name, value) in secrets {
            if let value, KnownDefaultSecrets.contains(value) {
                throw ConfigurationError("\(name) is a known default or example value; production needs a real secret")
            }
        }
        guard config.passwordHashCost >= 12 else {
            throw ConfigurationError("production needs passwordHashCost of at least 12")
        }
    }
}
