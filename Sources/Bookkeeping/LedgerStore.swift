import Controls
import LedgerCore
import StrongroomKernel

/// Where an entity lives: organizations at the top, ledgers in an organization, the rest
/// in a ledger. A lookup outside the scope finds nothing.
public struct EntityScope: Sendable, Equatable {
    public let organizationID: String?
    public let ledgerID: String?
    /// At the root, the organizations a listing may show (nil: all of them): a caller whose
    /// grants are scoped sees only its own organizations.
    public let visibleOrganizations: Set<String>?

    public init(organizationID: String?, ledgerID: String?, visibleOrganizations: Set<String>? = nil) {
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.visibleOrganizations = visibleOrganizations
    }

    public static let root = EntityScope(organizationID: nil, ledgerID: nil)

    public static func root(visible: Set<String>?) -> EntityScope {
        EntityScope(organizationID: nil, ledgerID: nil, visibleOrganizations: visible)
    }

    public static func organization(_ id: String) -> EntityScope { EntityScope(organizationID: id, ledgerID: nil) }

    public static func ledger(_ ref: LedgerRef) -> EntityScope { EntityScope(organizationID: ref.organizationID, ledgerID: ref.ledgerID) }
}

/// A ledger as a path names it.
public struct LedgerRef: Sendable, Equatable, Hashable {
    public let organizationID: String
    public let ledgerID: String

    public init(organizationID: String, ledgerID: String) {
        self.organizationID = organizationID
        self.ledgerID = ledgerID
    }
}

/// The onboarding entities that share create / read / list / count / update / soft delete.
public enum EntityKind: String, Sendable, CaseIterable {
    case organization, ledger, asset, portfolio, segment, account
}

public protocol LedgerRecord: Sendable {
    static var kind: EntityKind { get }
    var id: String { get }
}

/// An entity whose status and metadata a PATCH may change: every onboarding entity.
public protocol ChangeableRecord: LedgerRecord {
    var status: EntityStatus { get set }
    var metadata: Metadata { get set }
    var updatedAt: Timestamp { get set }
}

/// An entity whose name, status and metadata a PATCH may change.
public protocol NamedRecord: ChangeableRecord {
    var name: String { get set }
}

extension Organization: ChangeableRecord { public static var kind: EntityKind { .organization } }
extension Ledger: NamedRecord { public static var kind: EntityKind { .ledger } }
extension Asset: NamedRecord { public static var kind: EntityKind { .asset } }
extension Portfolio: NamedRecord { public static var kind: EntityKind { .portfolio } }
extension Segment: NamedRecord { public static var kind: EntityKind { .segment } }
extension Account: ChangeableRecord { public static var kind: EntityKind { .account } }

/// The ledger's persistence, bound either to one unit of work (writes) or to the database
/// (reads). `Storage` implements it once for SQLite and PostgreSQL. The calls the posting
/// engine makes are `PostingStore`'s, which this refines.
public protocol LedgerStore: PostingStore {
    // Onboarding entities.
    func insert<E: LedgerRecord>(_ entity: E) async throws
    func update<E: LedgerRecord>(_ entity: E) async throws
    func list<E: LedgerRecord>(_ type: E.Type, in scope: EntityScope, query: PageQuery) async throws -> [E]
    func count<E: LedgerRecord>(_ type: E.Type, in scope: EntityScope) async throws -> Int
    func softDelete<E: LedgerRecord>(_ type: E.Type, id: String, at time: Timestamp) async throws
    /// Whether any live entity of `kind` names `parentID` in the column that links them
    /// (ledgers of an organization, accounts of a portfolio, …).
    func hasLiveChildren(_ kind: EntityKind, linkedBy column: ChildLink, to parentID: String) async throws -> Bool
    /// Whether any live account other than the external one uses the asset.
    func hasLiveAccounts(assetCode: String, in ledger: LedgerRef) async throws -> Bool
    /// Whether any live balance of the asset holds money (available or on hold).
    func hasNonZeroBalances(assetCode: String, in ledger: LedgerRef) async throws -> Bool

    func account(alias: String, in ledger: LedgerRef) async throws -> Account?

    // Balances.
    func insertBalance(_ balance: Balance) async throws
    func balance(id: String, in ledger: LedgerRef) async throws -> Balance?
    func balances(accountID: String?, in ledger: LedgerRef, query: CursorQuery) async throws -> CursorPage<Balance>
    /// The balances of an account (including an external one), live only.
    func balances(ofAccount accountID: String) async throws -> [Balance]
    /// Writes a balance's settings (sending, receiving, overdraft); money is untouched.
    func updateBalanceSettings(_ balance: Balance) async throws
    func softDeleteBalance(id: String, at time: Timestamp) async throws

    // Transactions and operations.
    /// A transaction with its operations.
    func transaction(id: String, in ledger: LedgerRef) async throws -> Transaction?
    func updateTransactionAnnotations(_ transaction: Transaction) async throws
    func transactions(in ledger: LedgerRef, query: CursorQuery) async throws -> CursorPage<Transaction>
    /// Pending transactions whose `pendingExpiresAt` is not after `now`, oldest first.
    func dueExpiries(now: Timestamp, limit: Int) async throws -> [(LedgerRef, String)]

    func operation(id: String, in ledger: LedgerRef) async throws -> LedgerOperation?
    func operations(accountID: String, in ledger: LedgerRef, type: MovementKind?, query: CursorQuery) async throws -> CursorPage<LedgerOperation>
    func updateOperationAnnotations(_ operation: LedgerOperation) async throws

    // Controls.
    /// Sets (`record`) or lifts (nil) the freeze or lock of the live entity `id` of `subject`
    /// in `scope`, and its `updatedAt`; answers whether such an entity was found. The posting
    /// engine reads the result with the balances it locks, so nothing is cached.
    func setControl(_ subject: ControlSubject, id: String, in scope: EntityScope, to record: ControlRecord?, at time: Timestamp) async throws
        -> Bool
}

/// How a child entity names its parent, for "cannot delete while in use" checks.
public enum ChildLink: String, Sendable {
    case organization = "organization_id"
    case ledger = "ledger_id"
    case portfolio = "portfolio_id"
    case segment = "segment_id"
    case parentAccount = "parent_account_id"
    case parentOrganization = "parent_organization_id"
}
