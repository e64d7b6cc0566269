import Foundation
import StrongroomKernel

/// A machine client: logs in with its id and secret (`client_credentials`), gets access
/// tokens only, and may do what its groups grant.
public struct MachineClient: Sendable, Equatable {
    public enum Status: String, Sendable {
        case active
        case deleted
    }

    public let id: UUID
    public var name: String
    /// SHA-256 of the current secret (`OpaqueSecret.hash`).
    public var secretHash: String
    /// The secret a rotation replaced, accepted until `previousSecretValidUntil`.
    public var previousSecretHash: String?
    public var previousSecretValidUntil: Timestamp?
    public var status: Status
    public let createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: UUID, name: String, secretHash: String, previousSecretHash: String?, previousSecretValidUntil: Timestamp?,
        status: Status, createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.name = name
        self.secretHash = secretHash
        self.previousSecretHash = previousSecretHash
        self.previousSecretValidUntil = previousSecretValidUntil
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether `presented` is this active client's secret, or its previous one within the
    /// overlap. Both hashes are compared, so the time taken says nothing about which matched.
    public func accepts(secret presented: String, at now: Timestamp) -> Bool {
        guard status == .active, presented.utf8.count <= OpaqueSecret.maxPresentedBytes else { return false }
        let hash = Array(OpaqueSecret.hash(presented).utf8)
        let current = ConstantTime.equal(hash, Array(secretHash.utf8))
        var previous = false
        if let previousSecretHash, let until = previousSecretValidUntil {
            previous = ConstantTime.equal(hash, Array(previousSecretHash.utf8)) && now < until
        }
        return current || previous
    }
}
