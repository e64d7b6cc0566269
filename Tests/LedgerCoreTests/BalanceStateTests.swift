import LedgerCore
import StrongroomKernel
import Testing

@Suite("Balance rules")
struct BalanceStateTests {
    static func amount(_ text: String) -> Amount { try! Amount(parsing: text, scale: 2) }

    static func funded(_ text: String, _ configure: (inout BalanceState) -> Void = { _ in }) -> BalanceState {
        var state = BalanceState(available: amount(text), onHold: .zero(scale: 2), version: 1)
        configure(&state)
        return state
    }

    @Test func debitsAndCreditsMoveAvailableAndBumpTheVersion() throws {
        let debited = try Self.funded("100").debited(by: Self.amount("30"))
        #expect(debited.available == Self.amount("70"))
        #expect(debited.version == 2)
        let credited = try debited.credited(by: Self.amount("0.01"))
        #expect(credited.available == Self.amount("70.01"))
        #expect(credited.version == 3)
    }

    @Test func noBalanceGoesBelowZeroWithoutOverdraft() throws {
        #expect(try Self.funded("100").debited(by: Self.amount("100")).available == Self.amount("0"))
        #expect(throws: StrongroomError(.insufficientFunds, "")) { try Self.funded("100").debited(by: Self.amount("100.01")) }
        #expect(throws: StrongroomError(.insufficientFunds, "")) { try Self.funded("100").held(Self.amount("100.01")) }
    }

    @Test func overdraftGoesNoFurtherThanItsLimit() throws {
        let overdraft = Self.funded("10") {
            $0.allowOverdraft = true
            $0.overdraftLimit = Self.amount("50")
        }
        #expect(try overdraft.debited(by: Self.amount("60")).available == Self.amount("-50"))
        #expect(throws: StrongroomError(.insufficientFunds, "")) { try overdraft.debited(by: Self.amount("60.01")) }
        // A limit without permission is no overdraft at all.
        let limitOnly = Self.funded("10") { $0.overdraftLimit = Self.amount("50") }
        #expect(throws: StrongroomError(.insufficientFunds, "")) { try limitOnly.debited(by: Self.amount("10.01")) }
    }

    @Test func externalAccountsMayGoNegativeWithoutLimit() throws {
        let world = BalanceState.opened(scale: 2, isExternal: true)
        #expect(try world.debited(by: Self.amount("100000000000000000000")).available == Self.amount("-100000000000000000000"))
    }

    @Test func flagsAndBlocksRefuseTheLeg() {
        #expect(throws: StrongroomError(.sendingNotAllowed, "")) {
            try Self.funded("100") { $0.allowSending = false }.debited(by: Self.amount("1"))
        }
        #expect(throws: StrongroomError(.sendingNotAllowed, "")) {
            try Self.funded("100") { $0.allowSending = false }.held(Self.amount("1"))
        }
        #expect(throws: StrongroomError(.receivingNotAllowed, "")) {
            try Self.funded("100") { $0.allowReceiving = false }.credited(by: Self.amount("1"))
        }
        #expect(throws: StrongroomError(.accountBlocked, "")) {
            try Self.funded("100") { $0.accountBlocked = true }.debited(by: Self.amount("1"))
        }
        #expect(throws: StrongroomError(.accountBlocked, "")) {
            try Self.funded("100") { $0.accountBlocked = true }.credited(by: Self.amount("1"))
        }
    }

    @Test func holdsSettleOrReturnExactlyOnce() throws {
        let held = try Self.funded("100").held(Self.amount("40"))
        #expect(held.available == Self.amount("60"))
        #expect(held.onHold == Self.amount("40"))
        let settled = try held.settlingHold(Self.amount("40"))
        #expect(settled.available == Self.amount("60"))
        #expect(settled.onHold == Self.amount("0"))
        let returned = try held.releasingHold(Self.amount("40"))
        #expect(returned.available == Self.amount("100"))
        #expect(returned.onHold == Self.amount("0"))
        // Cancelling returns money even to a balance that may no longer send.
        var frozen = held
        frozen.allowSending = false
        #expect(try frozen.releasingHold(Self.amount("40")).available == Self.amount("100"))
        #expect(throws: StrongroomError(.internalError, "")) { try settled.settlingHold(Self.amount("40")) }
        #expect(throws: StrongroomError(.internalError, "")) { try returned.releasingHold(Self.amount("0.01")) }
    }

    @Test func creditsThatWouldOverflowAreErrorsNotWraps() {
        let full = Self.funded("100000000000000000000")
        #expect(throws: StrongroomError(.amountOverflow, "")) { try full.credited(by: Self.amount("0.01")) }
    }

    /// Any sequence of accepted transfers between internal accounts and the outside world
    /// leaves the books summing to zero and no internal balance below its floor.
    @Test func acceptedTransfersKeepTheBooksBalanced() throws {
        var rng = SplitMix64(seed: 7)
        var balances = [BalanceState.opened(scale: 2, isExternal: true)] + (0..<6).map { index in
            var state = BalanceState.opened(scale: 2)
            if index % 3 == 0 {
                state.allowOverdraft = true
                state.overdraftLimit = Self.amount("25")
            }
            return state
        }
        var accepted = 0
        for _ in 0..<5000 {
            let from = Int(rng.next() % UInt64(balances.count))
            var to = Int(rng.next() % UInt64(balances.count))
            if to == from { to = (to + 1) % balances.count }
            let value = try Amount(minorUnits: Int128(rng.next() % 10_000) + 1, scale: 2)
            guard let debited = try? balances[from].debited(by: value), let credited = try? balances[to].credited(by: value) else { continue }
            balances[from] = debited
            balances[to] = credited
            accepted += 1
        }
        #expect(accepted > 1000)
        let total = balances.reduce(Int128(0)) { $0 + $1.available.minorUnits }
        #expect(total == 0)
        for balance in balances.dropFirst() {
            #expect(balance.available.minorUnits >= -(balance.allowOverdraft ? balance.overdraftLimit.minorUnits : 0))
        }
    }
}
