import Storage
import StrongroomEdge
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
        guard config.masterKey != nil else {
            throw ConfigurationError("production needs a master key: set STRONGROOM_MASTER_KEY or STRONGROOM_MASTER_KEY_FILE")
        }
        // Every secret setting, from the one list that declares them.
        for setting in SecretSetting.all {
            if let refusal = setting.refusal(in: config) { throw ConfigurationError(refusal) }
        }
        if let refusal = config.telemetry.productionRefusal() { throw ConfigurationError(refusal) }
        guard config.passwordHashCost >= 12 else {
            throw ConfigurationError("production needs passwordHashCost of at least 12")
        }
    }
}
