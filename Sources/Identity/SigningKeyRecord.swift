import StrongroomKernel

/// A token signing key as stored: the private key sealed under the master key, the public
/// key in clear for the JWKS.
public struct SigningKeyRecord: Sendable, Equatable {
    public static let algorithm = "EdDSA"

    public let kid: String
    public let algorithm: String
    public let sealedPrivateKey: [UInt8]
    public let publicKey: [UInt8]
    public let createdAt: Timestamp

    public init(kid: String, algorithm: String, sealedPrivateKey: [UInt8], publicKey: [UInt8], createdAt: Timestamp) {
        self.kid = kid
        self.algorithm = algorithm
        self.sealedPrivateKey = sealedPrivateKey
        self.publicKey = publicKey
        self.createdAt = createdAt
    }
}
