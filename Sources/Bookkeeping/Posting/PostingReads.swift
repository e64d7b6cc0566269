import StrongroomKernel

/// The reads that resolve a batch's commands, made once per batch instead of once per
/// command: every aliased balance the batch names in one query per ledger, and each asset
/// once. Identity fields of a balance (id, account, alias, asset) never change, so reading
/// them before the balance lock is as good as reading them under it; the money itself is
/// read only under the lock.
final class PostingReads {
    let store: any PostingStore
    private var assets: [Name: Asset?] = [:]
    private var balances: [Name: Balance?] = [:]

    private struct Name: Hashable {
        let ledger: LedgerRef
        let name: String
    }

    init(store: any PostingStore) {
        self.store = store
    }

    /// Reads every balance the create commands name by alias, one query per ledger (and
    /// each external account of the assets they name).
    func prefetch(_ commands: [PostingCommand]) async throws {
        var aliases: [LedgerRef: Set<String>] = [:]
        for case .create(let body, _, let ledger) in commands {
            aliases[ledger, default: []].insert(Asset.externalAlias(code: body.send.asset))
            for leg in (body.send.source?.from ?? []) + (body.send.distribute?.to ?? []) {
                aliases[ledger, default: []].insert(leg.accountAlias)
            }
        }
        for (ledger, names) in aliases {
            let found = try await store.balances(aliases: Array(names), in: ledger)
            for name in names { balances[Name(ledger: ledger, name: name)] = .some(nil) }
            for balance in found { balances[Name(ledger: ledger, name: balance.alias)] = balance }
        }
    }

    func asset(code: String, in ledger: LedgerRef) async throws -> Asset? {
        let name = Name(ledger: ledger, name: code)
        if let known = assets[name] { return known }
        let asset = try await store.asset(code: code, in: ledger)
        assets[name] = asset
        return asset
    }

    func balance(alias: String, in ledger: LedgerRef) async throws -> Balance? {
        let name = Name(ledger: ledger, name: alias)
        if let known = balances[name] { return known }
        let balance = try await store.balance(alias: alias, in: ledger)
        balances[name] = balance
        return balance
    }
}
