import StrongroomEdge

/// The body of every freeze, unfreeze, lock and unlock: why, in the operator's words. The
/// reason is required both ways, so the audit trail says why a control was lifted too.
struct ControlRequest: Codable, Sendable, StrictDecodable {
    let reason: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case reason
    }

    static var shape: BodyShape { .object(CodingKeys.self, required: [.reason]) }
}
