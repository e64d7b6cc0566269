/// Who caused an audit event: a user or client id (or `anonymous`, or `system` for the
/// service's own work), and the source address of the request.
public struct AuditActor: Sendable, Equatable {
    public let id: String
    public let sourceAddress: String?

    public init(id: String, sourceAddress: String?) {
        self.id = id
        self.sourceAddress = sourceAddress
    }

    public static let system = AuditActor(id: "system", sourceAddress: nil)
}
