/// Why a secret could not be used. Descriptions never include the secret itself.
public enum SecretsError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedMasterKey
    case weakMasterKey
    case sealedValueCorrupt

    public var description: String {
        switch self {
        case .malformedMasterKey: "the master key must be 32 bytes, as 64 hex digits or base64"
        case .weakMasterKey: "the master key is a constant byte pattern, not a random key"
        case .sealedValueCorrupt:
            "a sealed secret could not be opened: the master key is not the one it was sealed with, or the stored value was altered"
        }
    }
}
