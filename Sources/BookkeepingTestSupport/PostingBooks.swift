import Bookkeeping
import Controls
import LedgerCore
import StrongroomKernel

/// The books a case of the posting suite starts from: one organization and ledger, assets
/// with their `@external` accounts, and accounts with their balances, as onboarding would
/// have created them. A value, so every backend is seeded with exactly the same rows.
public struct PostingBooks: Sendable {
    public let organization: Organization
    public let ledger: Ledger
    /// The one portfolio, for the lock cases; accounts join it with `inPortfolio`.
    public let portfolio: Portfolio
    public private(set) var assets: [Asset] = []
    public private(set) var accounts: [Account] = []
    /// `balances[i]` is `accounts[i]`'s balance.
    public private(set) var balances: [Balance] = []

    private let clock: any WallClock
    private let ids: IdentifierGenerator

    public var ref: LedgerRef { LedgerRef(organizationID: organization.id, ledgerID: ledger.id) }

    public init(clock: any WallClock) {
        self.clock = clock
        self.ids = IdentifierGenerator(clock: clock)
        let now = clock.now()
        organization = Organization(
            id: ids.nextText(), parentOrganizationID: nil, legalName: "Posting suite", doingBusinessAs: nil, legalDocument: "1",
            address: nil, status: .active, metadata: Metadata(), createdAt: now, updatedAt: now
        )
        ledger = Ledger(
            id: ids.nextText(), organizationID: organization.id, name: "Books", status: .active, metadata: Metadata(), createdAt: now,
            updatedAt: now
        )
        portfolio = Portfolio(
            id: ids.nextText(), organizationID: organization.id, ledgerID: ledger.id, name: "Fund", entityID: nil, status: .active,
            metadata: Metadata(), createdAt: now, updatedAt: now
        )
    }

    /// Adds an asset and its `@external/<code>` account.
    public mutating func addAsset(_ code: String, scale: Int) {
        let now = clock.now()
        assets.append(Asset(
            id: ids.nextText(), organizationID: organization.id, ledgerID: ledger.id, name: code, type: .currency, code: code, scale: scale,
            status: .active, metadata: Metadata(), createdAt: now, updatedAt: now
        ))
        addAccount(Asset.externalAlias(code: code), asset: code, type: Account.externalType)
    }

    /// Adds an account of an asset added before, with an empty balance and these settings.
    public mutating func addAccount(
        _ alias: String, asset code: String, type: String = "deposit", blocked: Bool = false, allowSending: Bool = true,
        allowReceiving: Bool = true, overdraftLimit: Amount? = nil, inPortfolio: Bool = false
    ) {
        let scale = assets.first { $0.code == code }?.scale ?? 0
        let now = clock.now()
        let account = Account(
            id: ids.nextText(), organizationID: organization.id, ledgerID: ledger.id, assetCode: code, name: nil, alias: alias, type: type,
            parentAccountID: nil, entityID: nil, portfolioID: inPortfolio ? portfolio.id : nil, segmentID: nil, blocked: blocked,
            status: .active, metadata: Metadata(),
            createdAt: now, updatedAt: now
        )
        var state = BalanceState.opened(scale: scale, isExternal: account.isExternal)
        state.accountBlocked = blocked
        state.allowSending = allowSending
        state.allowReceiving = allowReceiving
        if let overdraftLimit {
            state.allowOverdraft = true
            state.overdraftLimit = overdraftLimit
        }
        accounts.append(account)
        balances.append(Balance(
            id: ids.nextText(), organizationID: organization.id, ledgerID: ledger.id, accountID: account.id, alias: alias, assetCode: code,
            accountType: type, state: state, controls: ControlState(blocked: blocked), createdAt: now, updatedAt: now
        ))
    }

    /// The id of the balance of the account with this alias.
    public func balanceID(_ alias: String) -> String? {
        balances.first { $0.alias == alias }?.id
    }

    /// The id of the account with this alias.
    public func accountID(_ alias: String) -> String? {
        accounts.first { $0.alias == alias }?.id
    }
}
