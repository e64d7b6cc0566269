/// Who caused an audit event: a user or a machine client (by id), a caller of an outside
/// identity provider (`external`, by the id derived from its issuer and subject), nobody yet
/// authenticated (`anonymous`), or the service itself (`system`), and the request's source
/// address.
public struct AuditActor: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case user
        case client
        case external
        case anonymous
        case system
    }

    public let kind: Kind
    public let id: String
    public let sourceAddress: String?

    public init(kind: Kind, id: String, sourceAddress: String?) {
        self.kind = kind
        self.id = id
        self.sourceAddress = sourceAddress
    }

    public static func anonymous(from sourceAddress: String?) -> AuditActor {
        AuditActor(kind: .anonymous, id: "anonymous", sourceAddress: sourceAddress)
    }

    public static let system = AuditActor(kind: .system, id: "system", sourceAddress: nil)
}
