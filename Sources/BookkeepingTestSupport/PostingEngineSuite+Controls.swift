import Bookkeeping
import Controls
import LedgerCore
import StrongroomKernel
import Testing

/// Freezes and locks ("Controls: what may move" in docs/ARCHITECTURE.md): each set in a unit
/// of work of its own, as the control routes set it, and read by the engine with the balances
/// it locks, so every backend must refuse the next posting without being told.
extension PostingEngineSuite {
    static let controls: [PostingSuiteCase] = [
        PostingSuiteCase("a frozen account neither sends nor receives, and unfreezing restores it", frozenAccount),
        PostingSuiteCase("a pending transaction touching a frozen account cannot commit, but can be cancelled and expire", frozenPending),
        PostingSuiteCase("a locked portfolio stops its accounts and no other", lockedPortfolio),
        PostingSuiteCase("a frozen ledger stops every posting, reads keep working", frozenLedger),
        PostingSuiteCase("a revert touching a frozen account is refused", frozenRevert),
        PostingSuiteCase("the broadest control is the one named", precedence),
    ]

    static func record(_ run: Run, _ reason: String = "incident 42") -> ControlRecord {
        ControlRecord(reason: reason, actor: "user:suite", createdAt: run.clock.now())
    }

    static func freeze(_ run: Run, _ alias: String, _ on: Bool = true) async throws {
        let id = try #require(run.books.accountID(alias))
        try await run.backend.setControl(.account, id: id, in: .ledger(run.ref), to: on ? record(run) : nil)
    }

    static func lockPortfolio(_ run: Run, _ on: Bool = true) async throws {
        try await run.backend.setControl(.portfolio, id: run.books.portfolio.id, in: .ledger(run.ref), to: on ? record(run) : nil)
    }

    static func freezeLedger(_ run: Run, _ on: Bool = true) async throws {
        try await run.backend.setControl(
            .ledger, id: run.books.ledger.id, in: .organization(run.books.organization.id), to: on ? record(run) : nil
        )
    }

    static func frozenAccount(_ run: Run) async throws {
        try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "10.00")))
        try await freeze(run, "@b")
        Run.expect(try await run.post(run.transfer("@a", "@b", "1.00")), refusedWith: .accountFrozen)
        Run.expect(try await run.post(run.inflow("@b", "1.00")), refusedWith: .accountFrozen)
        Run.expect(try await run.post(run.transfer("@b", "@c", "1.00")), refusedWith: .accountFrozen)
        // The control comes before the balance rules: no funds, still "frozen".
        Run.expect(try await run.post(run.transfer("@b", "@c", "1000.00")), refusedWith: .accountFrozen)
        Run.expect(try await run.post(run.transfer("@b", "@c", "1.00", pending: true)), refusedWith: .accountFrozen)
        // Nothing moved, and the balances still read.
        #expect(try await run.available("@a") == "90.00")
        #expect(try await run.available("@b") == "10.00")
        // Other accounts are untouched by it.
        try Run.expectPosted(try await run.post(run.transfer("@a", "@c", "1.00")))

        try await freeze(run, "@b", false)
        try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "1.00")))
        try Run.expectPosted(try await run.post(run.transfer("@b", "@c", "2.00")))
        #expect(try await run.available("@b") == "9.00")
    }

    static func frozenPending(_ run: Run) async throws {
        // A frozen source: the commit is refused, the cancel gives the money back.
        let first = try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "30.00", pending: true)))
        try await freeze(run, "@a")
        Run.expect(try await run.post(.commit(transactionID: first.id, ledger: run.ref)), refusedWith: .accountFrozen)
        #expect(try await run.transaction(first.id).status == .pending)
        let cancelled = try Run.expectPosted(try await run.post(.cancel(transactionID: first.id, ledger: run.ref, reason: .requested)))
        #expect(cancelled.status == .canceled)
        #expect(try await run.available("@a") == "100.00")
        try await freeze(run, "@a", false)

        // A frozen destination: the commit is refused too, and the expiry still cancels.
        let expiresAt = run.clock.now().adding(seconds: 60)
        let body = Run.body("20.00", from: [Run.remaining("@a")], to: [Run.remaining("@b")], pending: true, expiresAt: expiresAt)
        let second = try Run.expectPosted(try await run.post(run.create(body)))
        try await freeze(run, "@b")
        Run.expect(try await run.post(.commit(transactionID: second.id, ledger: run.ref)), refusedWith: .accountFrozen)
        run.clock.advance(seconds: 60)
        let expired = try Run.expectPosted(try await run.post(.cancel(transactionID: second.id, ledger: run.ref, reason: .expired)))
        #expect(expired.status == .canceled)
        #expect(expired.statusDescription == "expired")
        #expect(try await run.available("@a") == "100.00")
        #expect(try await run.balance("@a").onHold.description == "0.00")

        // Unfrozen, a new pending transaction commits again.
        try await freeze(run, "@b", false)
        let third = try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "5.00", pending: true)))
        try Run.expectPosted(try await run.post(.commit(transactionID: third.id, ledger: run.ref)))
        #expect(try await run.available("@b") == "5.00")
    }

    static func lockedPortfolio(_ run: Run) async throws {
        try Run.expectPosted(try await run.post(run.transfer("@a", "@pf", "10.00")))
        try await lockPortfolio(run)
        Run.expect(try await run.post(run.transfer("@a", "@pf", "1.00")), refusedWith: .portfolioLocked)
        Run.expect(try await run.post(run.transfer("@pf", "@b", "1.00")), refusedWith: .portfolioLocked)
        Run.expect(try await run.post(run.inflow("@pf", "1.00")), refusedWith: .portfolioLocked)
        try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "1.00")))
        #expect(try await run.available("@pf") == "10.00")

        try await lockPortfolio(run, false)
        try Run.expectPosted(try await run.post(run.transfer("@pf", "@b", "4.00")))
        #expect(try await run.available("@pf") == "6.00")
    }

    static func frozenLedger(_ run: Run) async throws {
        let held = try Run.expectPosted(try await run.post(run.transfer("@a", "@c", "10.00", pending: true)))
        try await freezeLedger(run)
        Run.expect(try await run.post(run.transfer("@a", "@b", "1.00")), refusedWith: .ledgerFrozen)
        Run.expect(try await run.post(run.inflow("@b", "1.00")), refusedWith: .ledgerFrozen)
        Run.expect(try await run.post(run.inflow("@eur", "1.00", asset: "EUR")), refusedWith: .ledgerFrozen)
        Run.expect(try await run.post(.commit(transactionID: held.id, ledger: run.ref)), refusedWith: .ledgerFrozen)
        // Reads keep working.
        #expect(try await run.available("@a") == "90.00")
        #expect(try await run.transaction(held.id).status == .pending)
        try Run.expectPosted(try await run.post(.cancel(transactionID: held.id, ledger: run.ref, reason: .requested)))

        try await freezeLedger(run, false)
        try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "1.00")))
        #expect(try await run.available("@b") == "1.00")
    }

    static func frozenRevert(_ run: Run) async throws {
        let original = try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "25.00")))
        try await freeze(run, "@b")
        Run.expect(try await run.post(.revert(transactionID: original.id, ledger: run.ref)), refusedWith: .accountFrozen)
        #expect(try await run.transaction(original.id).revertedBy == nil)
        try await freeze(run, "@b", false)
        try await freeze(run, "@a")
        Run.expect(try await run.post(.revert(transactionID: original.id, ledger: run.ref)), refusedWith: .accountFrozen)
        try await freeze(run, "@a", false)
        try Run.expectPosted(try await run.post(.revert(transactionID: original.id, ledger: run.ref)))
        #expect(try await run.available("@a") == "100.00")
    }

    static func precedence(_ run: Run) async throws {
        try await freeze(run, "@b")
        try await lockPortfolio(run)
        Run.expect(try await run.post(run.transfer("@pf", "@b", "1.00")), refusedWith: .portfolioLocked)
        try await freezeLedger(run)
        Run.expect(try await run.post(run.transfer("@pf", "@b", "1.00")), refusedWith: .ledgerFrozen)
        // A blocked account that is also frozen is named as frozen.
        try await freeze(run, "@frozen")
        try await freezeLedger(run, false)
        Run.expect(try await run.post(run.transfer("@a", "@frozen", "1.00")), refusedWith: .accountFrozen)
    }
}
