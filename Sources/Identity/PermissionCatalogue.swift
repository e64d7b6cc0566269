/// Every permission there is, with what it allows. `GET /v1/permissions` serves it, groups
/// may grant only what is in it, and the built-in `administrators` group holds all of it.
///
/// A sensitive permission changes who may do what, or stops money: using one needs a token
/// that proved a second factor within the last minutes (`StepUpPolicy`), and no machine
/// client may hold one, since a client has no second factor to prove.
public enum PermissionCatalogue {
    public struct Entry: Sendable, Equatable {
        public let permission: Permission
        public let summary: String
        public let sensitive: Bool

        init(permission: Permission, summary: String, sensitive: Bool = false) {
            self.permission = permission
            self.summary = summary
            self.sensitive = sensitive
        }
    }

    public static let entries: [Entry] = [
        .init(permission: .organizationsRead, summary: "Read organizations."),
        .init(permission: .organizationsWrite, summary: "Create, update and delete organizations."),
        .init(permission: .ledgersRead, summary: "Read ledgers."),
        .init(permission: .ledgersWrite, summary: "Create, update and delete ledgers."),
        .init(permission: .assetsRead, summary: "Read assets."),
        .init(permission: .assetsWrite, summary: "Create, update and delete assets."),
        .init(permission: .portfoliosRead, summary: "Read portfolios."),
        .init(permission: .portfoliosWrite, summary: "Create, update and delete portfolios."),
        .init(permission: .segmentsRead, summary: "Read segments."),
        .init(permission: .segmentsWrite, summary: "Create, update and delete segments."),
        .init(permission: .accountsRead, summary: "Read accounts."),
        .init(permission: .accountsWrite, summary: "Create, update and delete accounts."),
        .init(
            permission: .accountsFreeze, summary: "Freeze and unfreeze accounts and ledgers, lock and unlock portfolios.", sensitive: true
        ),
        .init(
            permission: .controlsManage, summary: "Create, read, change and disable control rules (approvals and limits).", sensitive: true
        ),
        .init(permission: .holdersRead, summary: "Read account holders, their personal fields masked."),
        .init(permission: .holdersWrite, summary: "Create, update and delete account holders and their aliases."),
        .init(
            permission: .holdersReadPII, summary: "Read account holders' personal fields in clear, giving a reason; each read is audited.",
            sensitive: true
        ),
        .init(permission: .holdersErase, summary: "Erase an account holder: destroy their data key, irreversibly.", sensitive: true),
        .init(permission: .balancesRead, summary: "Read balances."),
        .init(permission: .balancesWrite, summary: "Change balance settings (sending, receiving, overdraft)."),
        .init(permission: .transactionsRead, summary: "Read transactions."),
        .init(permission: .transactionsCreate, summary: "Post transactions."),
        .init(permission: .transactionsWrite, summary: "Commit, cancel, revert and annotate transactions."),
        .init(permission: .operationsRead, summary: "Read operations."),
        .init(permission: .operationsWrite, summary: "Annotate operations."),
        .init(permission: .auditRead, summary: "Read and verify the audit trail."),
        .init(permission: .eventsRead, summary: "Read the events of the organizations and ledgers granted (GET /v1/events)."),
        .init(permission: .usersRead, summary: "Read users, groups, clients and the permission catalogue."),
        .init(permission: .usersManage, summary: "Create, update and disable users.", sensitive: true),
        .init(permission: .groupsManage, summary: "Create and change groups and their grants.", sensitive: true),
        .init(permission: .clientsManage, summary: "Create, rotate and delete machine clients.", sensitive: true),
        .init(permission: .keysManage, summary: "Rotate token signing keys.", sensitive: true),
        .init(permission: .metricsRead, summary: "Read the server's metrics (GET /metrics)."),
    ]

    public static let all: Set<Permission> = Set(entries.map(\.permission))

    /// The permissions that need step-up, and that no machine client may hold.
    public static let sensitive: Set<Permission> = Set(entries.filter(\.sensitive).map(\.permission))

    public static func contains(_ permission: Permission) -> Bool { all.contains(permission) }
}
