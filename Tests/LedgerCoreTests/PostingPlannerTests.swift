import LedgerCore
import StrongroomKernel
import Testing

@Suite("Posting planner")
struct PostingPlannerTests {
    static func amount(_ text: String) -> Amount { try! Amount(parsing: text, scale: 2) }

    static func leg(_ id: String, _ value: String) -> PostingLeg { PostingLeg(balanceID: id, amount: amount(value)) }

    static func books() -> [String: BalanceState] {
        [
            "a": BalanceState(available: amount("100"), onHold: .zero(scale: 2), version: 3),
            "b": BalanceState(available: .zero(scale: 2), onHold: .zero(scale: 2), version: 0),
            "c": BalanceState(available: amount("5"), onHold: .zero(scale: 2), version: 1),
        ]
    }

    @Test func aPostingMovesEveryLegAndRecordsBeforeAndAfter() throws {
        var balances = Self.books()
        let movements = try PostingPlanner.apply(
            .post(sources: [Self.leg("a", "30"), Self.leg("c", "5")], destinations: [Self.leg("b", "35")], pending: false), to: &balances
        )
        #expect(movements.map(\.kind) == [.debit, .debit, .credit])
        #expect(movements[0].before.available == Self.amount("100"))
        #expect(movements[0].after.available == Self.amount("70"))
        #expect(movements[0].after.version == 4)
        #expect(balances["b"]?.available == Self.amount("35"))
        #expect(balances["c"]?.available == Self.amount("0"))
    }

    @Test func aRefusedStepLeavesEveryBalanceAsItWas() throws {
        var balances = Self.books()
        // The second source cannot pay; the first source's debit must not survive.
        #expect(throws: StrongroomError(.insufficientFunds, "")) {
            try PostingPlanner.apply(
                .post(sources: [Self.leg("a", "30"), Self.leg("c", "6")], destinations: [Self.leg("b", "36")], pending: false), to: &balances
            )
        }
        #expect(balances == Self.books())
    }

    @Test func theSameBalanceOnBothSidesIsRefused() {
        var balances = Self.books()
        #expect(throws: StrongroomError(.sameAccountBothSides, "")) {
            try PostingPlanner.apply(.post(sources: [Self.leg("a", "1")], destinations: [Self.leg("a", "1")], pending: false), to: &balances)
        }
    }

    @Test func holdThenCommitOrCancel() throws {
        var balances = Self.books()
        let hold = try PostingPlanner.apply(.post(sources: [Self.leg("a", "40")], destinations: [Self.leg("b", "40")], pending: true), to: &balances)
        #expect(hold.map(\.kind) == [.onHold])
        #expect(balances["a"]?.available == Self.amount("60"))
        #expect(balances["a"]?.onHold == Self.amount("40"))
        #expect(balances["b"]?.available == Self.amount("0"))

        var committed = balances
        let commit = try PostingPlanner.apply(.commit(sources: [Self.leg("a", "40")], destinations: [Self.leg("b", "40")]), to: &committed)
        #expect(commit.map(\.kind) == [.debit, .credit])
        #expect(committed["a"]?.onHold == Self.amount("0"))
        #expect(committed["a"]?.available == Self.amount("60"))
        #expect(committed["b"]?.available == Self.amount("40"))

        var cancelled = balances
        let cancel = try PostingPlanner.apply(.cancel(sources: [Self.leg("a", "40")]), to: &cancelled)
        #expect(cancel.map(\.kind) == [.release])
        #expect(cancelled["a"]?.available == Self.amount("100"))
        #expect(cancelled["a"]?.onHold == Self.amount("0"))
        #expect(cancelled["a"]?.version == 5)
    }

    @Test func aLegOnAnUnlockedBalanceIsABugNotARefusal() {
        var balances = Self.books()
        #expect(throws: StrongroomError(.internalError, "")) {
            try PostingPlanner.apply(.post(sources: [Self.leg("zz", "1")], destinations: [Self.leg("b", "1")], pending: false), to: &balances)
        }
    }
}
