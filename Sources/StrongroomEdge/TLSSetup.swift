import NIOSSL

/// Native HTTPS: TLS 1.3, and TLS 1.2 only with ECDHE key exchange and AEAD ciphers.
/// (BoringSSL's TLS 1.3 suites are all AEAD and not configurable.)
public enum TLSSetup {
    public static let tls12CipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// The server's TLS from a PEM certificate chain and a PEM private key, both required.
    public static func serverConfiguration(certificatePath: String?, keyPath: String?) throws(ConfigurationError) -> TLSConfiguration {
        guard let certPath = certificatePath, let keyPath else {
            throw ConfigurationError("TLS needs both --tls-cert and --tls-key")
        }
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certPath)
        } catch {
            throw ConfigurationError("cannot read a PEM certificate chain from \(certPath)")
        }
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ConfigurationError("cannot read a PEM private key from \(keyPath)")
        }
        guard !chain.isEmpty else { throw ConfigurationError("\(certPath) holds no certificate") }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        // swift-nio-ssl's default minimum is TLS 1.0.
        tls.minimumTLSVersion = .tlsv12
        tls.cipherSuiteValues = tls12CipherSuites
        return tls
    }
}
