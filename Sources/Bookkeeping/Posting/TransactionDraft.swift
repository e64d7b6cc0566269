import LedgerCore
import StrongroomKernel

/// A new transaction resolved from its body: every rule that needs no balance checked, every
/// leg tied to a balance and an exact amount. What the balances allow is decided later,
/// under their locks.
struct TransactionDraft {
    let transaction: Transaction
    let step: PostingStep

    private struct ResolvedLeg {
        let body: TransactionBody.Leg
        let balance: Balance
        let amount: Amount
    }

    static func prepare(
        _ body: TransactionBody, form: TransactionForm, ledger: LedgerRef, reads: PostingReads, now: Timestamp, id: String
    ) async throws -> TransactionDraft {
        try FieldRules.optionalText(body.description, field: "description", max: 256)
        try FieldRules.optionalText(body.code, field: "code", max: 100)
        try FieldRules.optionalText(body.chartOfAccountsGroupName, field: "chartOfAccountsGroupName", max: 256)
        try body.metadata?.validate()
        let pending = body.pending ?? false
        let expiry = try pendingExpiry(body, pending: pending, now: now)

        guard let asset = try await reads.asset(code: body.send.asset, in: ledger) else {
            // Only now is it worth a query to tell a missing ledger (404) from a missing asset.
            guard try await reads.store.find(Ledger.self, id: ledger.ledgerID, in: .organization(ledger.organizationID)) != nil else {
                throw StrongroomError.notFound("The ledger")
            }
            throw StrongroomError.ledger(.unknownAsset, "The asset '\(body.send.asset)' does not exist in this ledger.", field: "send.asset")
        }
        let value = try amount(body.send.value, scale: asset.scale, field: "send.value")
        let external = TransactionBody.Leg(accountAlias: Asset.externalAlias(code: asset.code), remaining: "remaining")
        let sourceLegs: [TransactionBody.Leg]
        let destinationLegs: [TransactionBody.Leg]
        switch form {
        case .json:
            guard let source = body.send.source else { throw StrongroomError.missingField("send.source") }
            guard let distribute = body.send.distribute else { throw StrongroomError.missingField("send.distribute") }
            (sourceLegs, destinationLegs) = (source.from, distribute.to)
        case .inflow:
            guard let distribute = body.send.distribute else { throw StrongroomError.missingField("send.distribute") }
            (sourceLegs, destinationLegs) = ([external], distribute.to)
        case .outflow:
            guard let source = body.send.source else { throw StrongroomError.missingField("send.source") }
            (sourceLegs, destinationLegs) = (source.from, [external])
        }
        let sources = try await resolve(sourceLegs, side: "source", path: "send.source.from", value: value, asset: asset, ledger: ledger, reads: reads)
        let destinations = try await resolve(
            destinationLegs, side: "distribute", path: "send.distribute.to", value: value, asset: asset, ledger: ledger, reads: reads
        )

        func legs(_ resolved: [ResolvedLeg], _ side: TransactionLeg.Side) -> [TransactionLeg] {
            resolved.map {
                TransactionLeg(
                    side: side, accountID: $0.balance.accountID, balanceID: $0.balance.id, alias: $0.balance.alias, amount: $0.amount,
                    description: $0.body.description, chartOfAccounts: $0.body.chartOfAccounts, metadata: $0.body.metadata
                )
            }
        }
        let transaction = Transaction(
            id: id, organizationID: ledger.organizationID, ledgerID: ledger.ledgerID, parentTransactionID: nil,
            description: body.description, code: body.code, chartOfAccountsGroupName: body.chartOfAccountsGroupName,
            status: pending ? .pending : .approved, statusDescription: nil, amount: value, assetCode: asset.code,
            legs: legs(sources, .source) + legs(destinations, .destination), pending: pending, pendingExpiresAt: expiry,
            revertedBy: nil, metadata: body.metadata ?? Metadata(), createdAt: now, updatedAt: now
        )
        let step = PostingStep.post(
            sources: sources.map { PostingLeg(balanceID: $0.balance.id, amount: $0.amount) },
            destinations: destinations.map { PostingLeg(balanceID: $0.balance.id, amount: $0.amount) },
            pending: pending
        )
        return TransactionDraft(transaction: transaction, step: step)
    }

    /// The inverse of an approved transaction: every leg on the other side, same amounts.
    static func inverse(of original: Transaction, id: String, now: Timestamp) -> Transaction {
        let legs = original.legs.map { leg in
            TransactionLeg(
                side: leg.side == .source ? .destination : .source, accountID: leg.accountID, balanceID: leg.balanceID, alias: leg.alias,
                minorUnits: leg.minorUnits, description: leg.description, chartOfAccounts: leg.chartOfAccounts, metadata: leg.metadata
            )
        }
        return Transaction(
            id: id, organizationID: original.organizationID, ledgerID: original.ledgerID, parentTransactionID: original.id,
            description: "Revert of transaction \(original.id)", code: nil, chartOfAccountsGroupName: original.chartOfAccountsGroupName,
            status: .approved, statusDescription: nil, amount: original.amount, assetCode: original.assetCode,
            legs: legs.filter { $0.side == .source } + legs.filter { $0.side == .destination }, pending: false, pendingExpiresAt: nil,
            revertedBy: nil, metadata: Metadata(), createdAt: now, updatedAt: now
        )
    }

    private static func pendingExpiry(_ body: TransactionBody, pending: Bool, now: Timestamp) throws(StrongroomError) -> Timestamp? {
        guard let text = body.pendingExpiresAt else { return nil }
        func refuse(_ message: String) -> StrongroomError {
            StrongroomError(.invalidPendingExpiry, "pendingExpiresAt \(message).", fields: [.init(field: "pendingExpiresAt", message: message)])
        }
        guard pending else { throw refuse("is allowed only with pending: true") }
        guard let expiry = RFC3339.parse(text) else { throw refuse("must be an RFC 3339 date-time") }
        guard expiry > now else { throw refuse("must be in the future") }
        guard expiry <= now.adding(seconds: PostingEngine.maxPendingLifetimeSeconds) else { throw refuse("must be within 366 days") }
        return expiry
    }

    private static func amount(_ text: String, scale: Int, field: String) throws(StrongroomError) -> Amount {
        let amount: Amount
        do {
            amount = try Amount(parsing: text, scale: scale)
        } catch {
            throw .amount(error, scale: scale, field: field, what: "The amount")
        }
        guard amount.isPositive else { throw .ledger(.invalidAmount, "The amount must be positive.", field: field) }
        return amount
    }

    private static func resolve(
        _ legs: [TransactionBody.Leg], side: String, path: String, value: Amount, asset: Asset, ledger: LedgerRef, reads: PostingReads
    ) async throws -> [ResolvedLeg] {
        guard legs.count <= LegResolver.maxLegsPerSide else {
            throw StrongroomError.ledger(.tooManyLegs, "The \(side) side has more than \(LegResolver.maxLegsPerSide) accounts.", field: path)
        }
        var allocations: [Allocation] = []
        for (index, leg) in legs.enumerated() {
            let field = "\(path)[\(index)]"
            try FieldRules.optionalText(leg.description, field: "\(field).description", max: 256)
            try FieldRules.optionalText(leg.chartOfAccounts, field: "\(field).chartOfAccounts", max: 256)
            try leg.metadata?.validate(field: "\(field).metadata")
            if let key = leg.balanceKey, key != Balance.defaultKey {
                throw StrongroomError.ledger(.unknownAccount, "Only the 'default' balance key exists.", field: "\(field).balanceKey")
            }
            let given = [leg.amount != nil, leg.share != nil, leg.remaining != nil].filter { $0 }.count
            guard given == 1 else {
                throw StrongroomError.ledger(.legAllocation, "A leg needs exactly one of amount, share or remaining.", field: field)
            }
            if let fixed = leg.amount {
                guard fixed.asset == asset.code else {
                    throw StrongroomError.ledger(.assetMismatch, "The leg's asset is not the transaction's asset \(asset.code).", field: "\(field).amount.asset")
                }
                allocations.append(.amount(try amount(fixed.value, scale: asset.scale, field: "\(field).amount.value")))
            } else if let share = leg.share {
                allocations.append(.share(percentage: share.percentage, percentageOfPercentage: share.percentageOfPercentage ?? 100))
            } else {
                guard leg.remaining?.isEmpty == false else {
                    throw StrongroomError.ledger(.legAllocation, "remaining must not be empty.", field: "\(field).remaining")
                }
                allocations.append(.remaining)
            }
        }
        let amounts = try LegResolver.resolve(value: value, allocations: allocations, side: side)
        var resolved: [ResolvedLeg] = []
        for (index, leg) in legs.enumerated() {
            guard let balance = try await reads.balance(alias: leg.accountAlias, in: ledger) else {
                throw StrongroomError.ledger(
                    .unknownAccount, "No account with alias '\(leg.accountAlias.prefix(100))' in this ledger.", field: "\(path)[\(index)].accountAlias"
                )
            }
            guard balance.assetCode == asset.code else {
                throw StrongroomError.ledger(
                    .assetMismatch, "The account '\(balance.alias)' holds \(balance.assetCode), not \(asset.code).", field: "\(path)[\(index)].accountAlias"
                )
            }
            resolved.append(ResolvedLeg(body: leg, balance: balance, amount: amounts[index]))
        }
        return resolved
    }
}
