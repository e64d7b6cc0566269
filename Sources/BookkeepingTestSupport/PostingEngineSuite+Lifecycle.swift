import Bookkeeping
import LedgerCore
import StrongroomKernel
import Testing

/// A pending transaction's lifecycle (commit, cancel, expiry) and reversal.
extension PostingEngineSuite {
    static let lifecycle: [PostingSuiteCase] = [
        PostingSuiteCase("a pending transaction holds the money until it is committed", pendingThenCommit),
        PostingSuiteCase("a cancelled pending transaction gives the money back", pendingThenCancel),
        PostingSuiteCase("an expired pending transaction cannot be committed, and is cancelled as expired", expiry),
        PostingSuiteCase("a revert posts the inverse once, under the same rules", revert),
        PostingSuiteCase("one batch cannot step one transaction twice", oneStepPerBatch),
    ]

    static func pendingThenCommit(_ run: Run) async throws {
        let held = try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "30.00", pending: true)))
        #expect(held.status == .pending)
        #expect(held.operations.map(\.type) == [.onHold])
        let a = try await run.balance("@a")
        #expect(a.available.description == "70.00")
        #expect(a.onHold.description == "30.00")
        #expect(try await run.available("@b") == "0.00")
        #expect(try await run.transaction(held.id).status == .pending)

        let committed = try Run.expectPosted(try await run.post(.commit(transactionID: held.id, ledger: run.ref)))
        #expect(committed.status == .approved)
        #expect(committed.operations.map(\.type) == [.onHold, .debit, .credit])
        let stored = try await run.transaction(held.id)
        #expect(stored.status == .approved)
        #expect(stored.operations.map(\.type) == [.onHold, .debit, .credit])
        let after = try await run.balance("@a")
        #expect(after.available.description == "70.00")
        #expect(after.onHold.description == "0.00")
        #expect(try await run.available("@b") == "30.00")

        Run.expect(try await run.post(.commit(transactionID: held.id, ledger: run.ref)), refusedWith: .notPending)
        Run.expect(try await run.post(.cancel(transactionID: held.id, ledger: run.ref, reason: .requested)), refusedWith: .notPending)
        let unknown = IdentifierGenerator(clock: run.clock).nextText()
        Run.expect(try await run.post(.commit(transactionID: unknown, ledger: run.ref)), refusedWith: .entityNotFound)
    }

    static func pendingThenCancel(_ run: Run) async throws {
        let held = try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "30.00", pending: true)))
        let cancelled = try Run.expectPosted(
            try await run.post(.cancel(transactionID: held.id, ledger: run.ref, reason: .requested))
        )
        #expect(cancelled.status == .canceled)
        #expect(cancelled.statusDescription == nil)
        #expect(cancelled.operations.map(\.type) == [.onHold, .release])
        let stored = try await run.transaction(held.id)
        #expect(stored.status == .canceled)
        #expect(stored.operations.map(\.type) == [.onHold, .release])
        let a = try await run.balance("@a")
        #expect(a.available.description == "100.00")
        #expect(a.onHold.description == "0.00")
        #expect(try await run.available("@b") == "0.00")

        Run.expect(try await run.post(.commit(transactionID: held.id, ledger: run.ref)), refusedWith: .notPending)
        Run.expect(try await run.post(.cancel(transactionID: held.id, ledger: run.ref, reason: .requested)), refusedWith: .notPending)
        Run.expect(try await run.post(.revert(transactionID: held.id, ledger: run.ref)), refusedWith: .canceledNotRevertible)
    }

    static func expiry(_ run: Run) async throws {
        let expiresAt = run.clock.now().adding(seconds: 60)
        let body = Run.body("30.00", from: [Run.remaining("@a")], to: [Run.remaining("@b")], pending: true, expiresAt: expiresAt)
        let held = try Run.expectPosted(try await run.post(run.create(body)))
        #expect(held.pendingExpiresAt == expiresAt)
        #expect(try await run.transaction(held.id).pendingExpiresAt == expiresAt)

        // An expiry is passed at its instant, not after it.
        run.clock.advance(seconds: 60)
        Run.expect(try await run.post(.commit(transactionID: held.id, ledger: run.ref)), refusedWith: .notPending)
        let expired = try Run.expectPosted(try await run.post(.cancel(transactionID: held.id, ledger: run.ref, reason: .expired)))
        #expect(expired.status == .canceled)
        #expect(expired.statusDescription == "expired")
        let stored = try await run.transaction(held.id)
        #expect(stored.status == .canceled)
        #expect(stored.statusDescription == "expired")
        #expect(try await run.available("@a") == "100.00")
        #expect(try await run.balance("@a").onHold.description == "0.00")
    }

    static func revert(_ run: Run) async throws {
        let original = try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "25.00")))
        let inverse = try Run.expectPosted(try await run.post(.revert(transactionID: original.id, ledger: run.ref)))
        #expect(inverse.parentTransactionID == original.id)
        #expect(inverse.status == .approved)
        #expect(inverse.legs.map(\.alias) == ["@b", "@a"])
        #expect(inverse.operations.map(\.type) == [.debit, .credit])
        #expect(try await run.transaction(original.id).revertedBy == inverse.id)
        #expect(try await run.transaction(inverse.id).parentTransactionID == original.id)
        #expect(try await run.available("@a") == "100.00")
        #expect(try await run.available("@b") == "0.00")

        Run.expect(try await run.post(.revert(transactionID: original.id, ledger: run.ref)), refusedWith: .alreadyReverted)
        Run.expect(try await run.post(.revert(transactionID: inverse.id, ledger: run.ref)), refusedWith: .reversalNotRevertible)
        let unknown = IdentifierGenerator(clock: run.clock).nextText()
        Run.expect(try await run.post(.revert(transactionID: unknown, ledger: run.ref)), refusedWith: .entityNotFound)

        // A revert is a posting like any other: money already spent cannot be pulled back.
        let spent = try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "10.00")))
        try Run.expectPosted(try await run.post(run.transfer("@b", "@c", "10.00")))
        Run.expect(try await run.post(.revert(transactionID: spent.id, ledger: run.ref)), refusedWith: .insufficientFunds)
        #expect(try await run.transaction(spent.id).revertedBy == nil)

        let held = try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "5.00", pending: true)))
        Run.expect(try await run.post(.revert(transactionID: held.id, ledger: run.ref)), refusedWith: .pendingNotRevertible)
    }

    static func oneStepPerBatch(_ run: Run) async throws {
        // Two holds, so a second settlement of the first would find money on hold to take.
        let holds = try await run.post([
            run.transfer("@a", "@b", "30.00", pending: true), run.transfer("@a", "@b", "30.00", pending: true),
        ])
        let held = try holds.map { try Run.expectPosted($0).id }
        try #require(held.count == 2)
        let outcomes = try await run.post([
            .commit(transactionID: held[0], ledger: run.ref),
            .commit(transactionID: held[0], ledger: run.ref),
            .cancel(transactionID: held[0], ledger: run.ref, reason: .requested),
        ])
        try #require(outcomes.count == 3)
        try Run.expectPosted(outcomes[0])
        Run.expect(outcomes[1], refusedWith: .notPending)
        Run.expect(outcomes[2], refusedWith: .notPending)
        let a = try await run.balance("@a")
        #expect(a.available.description == "40.00")
        #expect(a.onHold.description == "30.00")
        #expect(try await run.available("@b") == "30.00")

        let reverts = try await run.post([
            .revert(transactionID: held[0], ledger: run.ref), .revert(transactionID: held[0], ledger: run.ref),
        ])
        try #require(reverts.count == 2)
        try Run.expectPosted(reverts[0])
        Run.expect(reverts[1], refusedWith: .alreadyReverted)
        #expect(try await run.available("@b") == "0.00")
    }
}
