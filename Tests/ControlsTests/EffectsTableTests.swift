import Controls
import StrongroomKernel
import Testing

/// The table of effects, checked cell by cell against docs/ARCHITECTURE.md ("Controls: what
/// may move"), and the choice of the first control when several apply.
@Suite struct EffectsTableTests {
    let table = EffectsTable.standard

    static func account(_ alias: String, _ side: LegSide, _ state: ControlState) -> ControlledAccount {
        ControlledAccount(alias: alias, side: side, state: state)
    }

    static func only(_ control: Control) -> ControlState {
        var state = ControlState.free
        switch control {
        case .ledgerFrozen: state.ledgerFrozen = true
        case .portfolioLocked: state.portfolioLocked = true
        case .accountFrozen: state.accountFrozen = true
        case .blocked: state.blocked = true
        }
        return state
    }

    @Test("a freeze or lock refuses send, receive, commit on either side and revert, and nothing else", arguments: [
        Control.ledgerFrozen, .portfolioLocked, .accountFrozen,
    ])
    func incidentControls(control: Control) {
        for side in LegSide.allCases {
            for operation in ControlledOperation.allCases {
                let refused = table.firstRefusal(of: operation, touching: [Self.account("@a", side, Self.only(control))])
                switch operation {
                case .post, .commit, .revert:
                    #expect(refused?.control == control, "\(operation) on the \(side) side")
                    #expect(refused?.code == control.code)
                case .cancel, .expiry, .read:
                    #expect(refused == nil, "\(operation) on the \(side) side")
                }
            }
        }
    }

    @Test("blocked keeps today's behaviour: a blocked source does not stop a commit, a blocked destination does")
    func blockedRow() {
        let blocked = Self.only(.blocked)
        #expect(table.firstRefusal(of: .post, touching: [Self.account("@a", .source, blocked)])?.code == .accountBlocked)
        #expect(table.firstRefusal(of: .post, touching: [Self.account("@a", .destination, blocked)])?.code == .accountBlocked)
        #expect(table.firstRefusal(of: .commit, touching: [Self.account("@a", .source, blocked)]) == nil)
        #expect(table.firstRefusal(of: .commit, touching: [Self.account("@a", .destination, blocked)])?.code == .accountBlocked)
        #expect(table.firstRefusal(of: .revert, touching: [Self.account("@a", .source, blocked)])?.code == .accountBlocked)
        #expect(table.firstRefusal(of: .revert, touching: [Self.account("@a", .destination, blocked)])?.code == .accountBlocked)
        for operation in [ControlledOperation.cancel, .expiry, .read] {
            for side in LegSide.allCases {
                #expect(table.firstRefusal(of: operation, touching: [Self.account("@a", side, blocked)]) == nil)
            }
        }
    }

    @Test("each control refuses with a code of its own")
    func codesAreDistinct() {
        let codes = Control.allCases.map(\.code.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(Control.ledgerFrozen.code == .ledgerFrozen)
        #expect(Control.portfolioLocked.code == .portfolioLocked)
        #expect(Control.accountFrozen.code == .accountFrozen)
        #expect(Control.blocked.code == .accountBlocked)
        for control in Control.allCases { #expect(control.code.kind == .unprocessable) }
    }

    @Test("an account no control holds moves freely")
    func freeAccounts() {
        let accounts = [Self.account("@a", .source, .free), Self.account("@b", .destination, .free)]
        for operation in ControlledOperation.allCases {
            #expect(table.firstRefusal(of: operation, touching: accounts) == nil)
        }
        #expect(table.firstRefusal(of: .post, touching: []) == nil)
    }

    @Test("the broadest control is named first, whichever account it is on")
    func precedence() {
        let all = ControlState(blocked: true, accountFrozen: true, portfolioLocked: true, ledgerFrozen: true)
        #expect(table.firstRefusal(of: .post, touching: [Self.account("@a", .source, all)])?.control == .ledgerFrozen)
        let accounts = [
            Self.account("@blocked", .source, Self.only(.blocked)),
            Self.account("@frozen", .source, Self.only(.accountFrozen)),
            Self.account("@locked", .destination, Self.only(.portfolioLocked)),
        ]
        let refusal = table.firstRefusal(of: .post, touching: accounts)
        #expect(refusal?.control == .portfolioLocked)
        #expect(refusal?.alias == "@locked")
        #expect(refusal?.accountIndex == 2)
        // On a commit the blocked source is no reason, the frozen one is.
        let commit = table.firstRefusal(of: .commit, touching: [accounts[0], accounts[1]])
        #expect(commit?.control == .accountFrozen)
        #expect(commit?.alias == "@frozen")
    }

    @Test("the refusal is a 422 naming the account")
    func refusalError() throws {
        let refusal = try #require(table.firstRefusal(of: .post, touching: [Self.account("@ops", .source, Self.only(.accountFrozen))]))
        #expect(refusal.error.code == .accountFrozen)
        #expect(refusal.error.detail.contains("@ops"))
    }
}
