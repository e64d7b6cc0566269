/// A control rule as data: what it applies to and what it requires, in a scope, at a
/// version. Saving a change makes a new version; a posting or a request is decided by the
/// versions active when it is made, and a request records the version that held it.
public struct ControlRule: Sendable, Hashable {
    /// Most active rules an organization may have, so deciding a posting stays cheap.
    public static let maxActivePerOrganization = 1_000

    public let id: String
    public let version: Int
    public let scope: ControlRuleScope
    public let effect: ControlRuleEffect

    public init(id: String, version: Int, scope: ControlRuleScope, effect: ControlRuleEffect) {
        self.id = id
        self.version = version
        self.scope = scope
        self.effect = effect
    }
}
