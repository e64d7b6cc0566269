import StrongroomKernel

/// Turns one side's allocations into exact amounts that add up to the transaction's value.
///
/// Shares round down to the asset's scale; the minor units rounding leaves are the
/// `remaining` leg's, and with no such leg the side must add up exactly or it is refused:
/// money is never created or lost to rounding.
public enum LegResolver {
    /// The most legs one side of one transaction may have.
    public static let maxLegsPerSide = 1024

    public static func resolve(value: Amount, allocations: [Allocation], side: String) throws(StrongroomError) -> [Amount] {
        guard value.isPositive else {
            throw .ledger(.invalidAmount, "The transaction value must be positive.", field: "send.value")
        }
        guard !allocations.isEmpty else {
            throw .ledger(.noLegs, "The \(side) side needs at least one account.", field: "send.\(side)")
        }
        guard allocations.count <= maxLegsPerSide else {
            throw .ledger(.tooManyLegs, "The \(side) side has more than \(maxLegsPerSide) accounts.", field: "send.\(side)")
        }
        var resolved: [Amount?] = []
        resolved.reserveCapacity(allocations.count)
        var assigned = Amount.zero(scale: value.scale)
        var remainingIndex: Int?
        for (index, allocation) in allocations.enumerated() {
            let amount: Amount?
            switch allocation {
            case .amount(let fixed):
                guard fixed.scale == value.scale, fixed.isPositive else {
                    throw .ledger(.invalidAmount, "Every leg's amount must be positive.", field: "send.\(side)[\(index)].amount")
                }
                amount = fixed
            case .share(let percentage, let ofPercentage):
                guard (1...100).contains(percentage), (1...100).contains(ofPercentage) else {
                    throw .ledger(.invalidShare, "A share is a whole percentage from 1 to 100.", field: "send.\(side)[\(index)].share")
                }
                // value × p × q / 10 000, rounded down; Int128 cannot overflow here since the
                // value is at most 10^20 major units at scale ≤ 18.
                let minor = value.minorUnits * Int128(percentage) * Int128(ofPercentage) / 10_000
                guard minor > 0 else {
                    throw .ledger(.invalidShare, "That share of the value is less than the asset's smallest unit.", field: "send.\(side)[\(index)].share")
                }
                amount = try overflowChecked { () throws(AmountError) in try Amount(minorUnits: minor, scale: value.scale) }
            case .remaining:
                guard remainingIndex == nil else {
                    throw .ledger(.moreThanOneRemaining, "Only one leg per side may take the remaining value.", field: "send.\(side)[\(index)].remaining")
                }
                remainingIndex = index
                amount = nil
            }
            if let amount { assigned = try assigned.plus(amount) }
            resolved.append(amount)
        }
        let rest = try value.minus(assigned)
        if let remainingIndex {
            guard rest.isPositive else {
                throw .ledger(.nothingRemaining, "The other legs take the whole value; nothing remains for the remaining leg.", field: "send.\(side)[\(remainingIndex)].remaining")
            }
            resolved[remainingIndex] = rest
        } else {
            guard rest.minorUnits == 0 else {
                throw .ledger(
                    .legsDoNotAddUp, "The \(side) legs add up to \(assigned), not to the transaction value \(value).", field: "send.\(side)"
                )
            }
        }
        return resolved.map { $0! }
    }
}
