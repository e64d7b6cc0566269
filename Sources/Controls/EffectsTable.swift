/// The table of effects of docs/ARCHITECTURE.md ("Controls: what may move") as data: for each
/// control and operation, the sides of a transaction on which the control refuses it. The
/// engine asks it once per command with the accounts the command touches, as read under the
/// posting's locks, and refuses the command with the first control that applies.
///
/// Midaz's `status` has no row: it is a free code that stops nothing.
public struct EffectsTable: Sendable, Equatable {
    /// For each control and operation, the sides it refuses on; absent means allowed.
    public let refusals: [Control: [ControlledOperation: Set<LegSide>]]

    public init(refusals: [Control: [ControlledOperation: Set<LegSide>]]) {
        self.refusals = refusals
    }

    /// Strongroom's table. A freeze or a lock stops every movement out of or into the account,
    /// commits included, whichever side it is on; cancel and expiry stay open because they only
    /// return held money to where it came from; reads are never stopped. `blocked` keeps the
    /// behaviour it had before the freezes existed: a blocked source does not stop a commit,
    /// whose money is already on hold, but a blocked destination does.
    public static let standard: EffectsTable = {
        let bothSides: Set<LegSide> = [.source, .destination]
        let incident: [ControlledOperation: Set<LegSide>] = [.post: bothSides, .commit: bothSides, .revert: bothSides]
        return EffectsTable(refusals: [
            .ledgerFrozen: incident,
            .portfolioLocked: incident,
            .accountFrozen: incident,
            .blocked: [.post: bothSides, .commit: [.destination], .revert: bothSides],
        ])
    }()

    /// Whether `control` refuses `operation` for an account on `side`.
    public func refuses(_ control: Control, _ operation: ControlledOperation, on side: LegSide) -> Bool {
        refusals[control]?[operation]?.contains(side) ?? false
    }

    /// The first control, in precedence order, that refuses `operation` for one of
    /// `accounts`, or nil when the operation may go ahead. Within one control the first
    /// account in the given order is named.
    public func firstRefusal(of operation: ControlledOperation, touching accounts: [ControlledAccount]) -> ControlRefusal? {
        for control in Control.allCases {
            guard let sides = refusals[control]?[operation], !sides.isEmpty else { continue }
            for (index, account) in accounts.enumerated() where account.state.holds(control) && sides.contains(account.side) {
                return ControlRefusal(control: control, accountIndex: index, alias: account.alias)
            }
        }
        return nil
    }
}
