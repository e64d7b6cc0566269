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
                let minor = Self.share(of: value.minorUnits, percentage: percentage, ofPercentage: ofPercentage)
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
        // Every nil was the remaining leg's, filled in above.
        return resolved.map { $0 ?? rest }
    }

    /// ⌊value × p × q / 10 000⌋ for a non-negative value and p, q in 1...100, exactly and
    /// without overflow. The plain product does not fit Int128 from scale 15 up (10^38 minor
    /// units at scale 18, times 10^4, is past Int128's 1.7 × 10^38 — it trapped the process
    /// once), so the value is split at 10 000: value = h × 10 000 + l, and
    /// ⌊value × f / 10 000⌋ = h × f + ⌊l × f / 10 000⌋ with f = p × q ≤ 10 000, each term in
    /// range since h × f ≤ value.
    static func share(of value: Int128, percentage: Int, ofPercentage: Int) -> Int128 {
        let factor = Int128(percentage * ofPercentage)
        let (high, low) = value.quotientAndRemainder(dividingBy: 10_000)
        return high * factor + low * factor / 10_000
    }
}
