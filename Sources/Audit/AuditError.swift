/// Why the audit trail's own machinery refused something (configuration, not requests).
public enum AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidKeyName
    case invalidKeySeed
    case checkpointInconsistent(String)

    public var description: String {
        switch self {
        case .invalidKeyName: "a checkpoint origin must be non-empty, with no white space and no '+'"
        case .invalidKeySeed: "the checkpoint key must be 32 bytes, as 64 hex digits or base64"
        case .checkpointInconsistent(let reason): "the chain is inconsistent with an earlier checkpoint: \(reason)"
        }
    }
}
