/// An action-level permission, `resource:action`. Deny by default: a principal may do only
/// what one of its groups grants.
public struct Permission: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Permission {
    public static let organizationsRead: Permission = "organizations:read"
    public static let organizationsWrite: Permission = "organizations:write"
    public static let ledgersRead: Permission = "ledgers:read"
    public static let ledgersWrite: Permission = "ledgers:write"
    public static let assetsRead: Permission = "assets:read"
    public static let assetsWrite: Permission = "assets:write"
    public static let portfoliosRead: Permission = "portfolios:read"
    public static let portfoliosWrite: Permission = "portfolios:write"
    public static let segmentsRead: Permission = "segments:read"
    public static let segmentsWrite: Permission = "segments:write"
    public static let accountsRead: Permission = "accounts:read"
    public static let accountsWrite: Permission = "accounts:write"
    /// Freeze and unfreeze accounts and ledgers, lock and unlock portfolios: the incident
    /// controls, apart from `accounts:write` so that ordinary account administration cannot
    /// lift them.
    public static let accountsFreeze: Permission = "accounts:freeze"
    /// Create, read, change and disable control rules (maker-checker's approvals and limits):
    /// apart from the permissions the rules govern, so holding those does not let a person
    /// remove the checks on them.
    public static let controlsManage: Permission = "controls:manage"
    /// Account holders (Midaz's CRM): read them masked, create and change them, read their
    /// personal fields in clear (with a reason, each read audited), and erase them (destroy
    /// their data key).
    public static let holdersRead: Permission = "holders:read"
    public static let holdersWrite: Permission = "holders:write"
    public static let holdersReadPII: Permission = "holders:read-pii"
    public static let holdersErase: Permission = "holders:erase"
    public static let balancesRead: Permission = "balances:read"
    public static let balancesWrite: Permission = "balances:write"
    public static let transactionsRead: Permission = "transactions:read"
    public static let transactionsCreate: Permission = "transactions:create"
    public static let transactionsWrite: Permission = "transactions:write"
    public static let operationsRead: Permission = "operations:read"
    public static let operationsWrite: Permission = "operations:write"
    public static let auditRead: Permission = "audit:read"
    /// Read the events stream (`GET /v1/events`), filtered to the organizations and ledgers
    /// the grants name.
    public static let eventsRead: Permission = "events:read"
    public static let usersRead: Permission = "users:read"
    public static let usersManage: Permission = "users:manage"
    public static let groupsManage: Permission = "groups:manage"
    public static let clientsManage: Permission = "clients:manage"
    public static let keysManage: Permission = "keys:manage"
    public static let metricsRead: Permission = "metrics:read"
}
