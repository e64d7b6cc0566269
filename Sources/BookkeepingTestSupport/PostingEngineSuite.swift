import Bookkeeping
import LedgerCore
import StrongroomKernel
import Testing

/// The posting engine's rules and lifecycle, written once and run on every store: in memory
/// in `BookkeepingTests`, on SQLite and PostgreSQL in `StorageTests`. Each case starts from
/// `PostingSuiteRun`'s books on a fresh backend and asserts refusals by their codes.
public enum PostingEngineSuite {
    public static var cases: [PostingSuiteCase] { rules + lifecycle + scales + controls }

    typealias Run = PostingSuiteRun

    static let rules: [PostingSuiteCase] = [
        PostingSuiteCase("a transfer moves money from its sources to its destinations", transferMovesMoney),
        PostingSuiteCase("shares round down and the remaining leg takes the rest", sharesAndRemaining),
        PostingSuiteCase("each rule a body can break refuses with its own code, alone in its batch", bodyRefusals),
        PostingSuiteCase("insufficient funds is refused and moves nothing", insufficientFunds),
        PostingSuiteCase("an overdraft goes down to its limit and no further", overdraft),
        PostingSuiteCase("sending, receiving and blocked accounts are refused", sendingAndReceiving),
        PostingSuiteCase("a batch applies in order and a refused command fails alone", batchInOrder),
    ]

    static func transferMovesMoney(_ run: Run) async throws {
        let posted = try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "30.00")))
        #expect(posted.status == .approved)
        #expect(posted.operations.map(\.type) == [.debit, .credit])
        #expect(posted.operations.map(\.accountAlias) == ["@a", "@b"])
        #expect(posted.operations.map(\.amount.description) == ["30.00", "30.00"])
        #expect(posted.operations.map(\.before.available.description) == ["100.00", "0.00"])
        #expect(posted.operations.map(\.after.available.description) == ["70.00", "30.00"])

        let stored = try await run.transaction(posted.id)
        #expect(stored.status == .approved)
        #expect(stored.amount == posted.amount)
        #expect(stored.legs == posted.legs)
        #expect(stored.operations.map(\.id) == posted.operations.map(\.id))
        #expect(stored.operations.map(\.type) == [.debit, .credit])

        let a = try await run.balance("@a")
        #expect(a.available.description == "70.00")
        // Opened at 0, credited by the funding, debited by the transfer.
        #expect(a.version == 2)
        #expect(try await run.available("@b") == "30.00")
        #expect(try await run.available("@external/USD") == "-100.00")
    }

    static func sharesAndRemaining(_ run: Run) async throws {
        try Run.expectPosted(try await run.post(run.inflow("@b", "100.00")))
        // 10.01: @a gives 4.00 and @b the remaining 6.01; @c takes 50 % (5.00), @d 33 % of
        // 50 % (16.5 % of 1001 minor units, 165.165, rounded down to 1.65), @e the rest.
        let body = Run.body(
            "10.01", from: [Run.amount("@a", "4.00"), Run.remaining("@b")],
            to: [try Run.share("@c", 50), try Run.share("@d", 33, of: 50), Run.remaining("@e")]
        )
        let posted = try Run.expectPosted(try await run.post(run.create(body)))
        #expect(try posted.legs.map { try $0.amount(scale: 2).description } == ["4.00", "6.01", "5.00", "1.65", "3.36"])
        #expect(try await run.available("@a") == "96.00")
        #expect(try await run.available("@b") == "93.99")
        #expect(try await run.available("@c") == "5.00")
        #expect(try await run.available("@d") == "1.65")
        #expect(try await run.available("@e") == "3.36")
    }

    static func bodyRefusals(_ run: Run) async throws {
        let now = run.clock.now()
        let elsewhere = LedgerRef(organizationID: run.ref.organizationID, ledgerID: IdentifierGenerator(clock: run.clock).nextText())
        let cases: [(PostingCommand, ErrorCode?)] = [
            (run.transfer("@a", "@b", "1.001"), .invalidAmount),
            (run.transfer("@a", "@b", "0"), .invalidAmount),
            (run.transfer("@a", "@b", "-5.00"), .invalidAmount),
            (run.transfer("@a", "@b", "100000000000000000000.01"), .amountOverflow),
            (run.create(Run.body("30.00", from: [Run.amount("@a", "10.00"), Run.amount("@b", "10.00")], to: [Run.remaining("@c")])), .legsDoNotAddUp),
            (run.create(Run.body("30.00", from: [try Run.share("@a", 101)], to: [Run.remaining("@c")])), .invalidShare),
            // 50 % of one minor unit is less than the asset's smallest unit.
            (run.create(Run.body("0.01", from: [try Run.share("@a", 50), Run.remaining("@b")], to: [Run.remaining("@c")])), .invalidShare),
            (run.create(Run.body("30.00", from: [Run.remaining("@a"), Run.remaining("@b")], to: [Run.remaining("@c")])), .moreThanOneRemaining),
            (run.create(Run.body("30.00", from: [Run.amount("@a", "30.00"), Run.remaining("@b")], to: [Run.remaining("@c")])), .nothingRemaining),
            (run.create(Run.body("1.00", from: [], to: [Run.remaining("@c")])), .noLegs),
            (run.transfer("@a", "@b", "1.00"), nil),
            (run.create(Run.body("1.00", from: [Run.amount("@a", "1.00", asset: "EUR")], to: [Run.remaining("@b")])), .assetMismatch),
            (run.transfer("@a", "@eur", "1.00"), .assetMismatch),
            (run.transfer("@a", "@a", "1.00"), .sameAccountBothSides),
            (run.transfer("@a", "@nobody", "1.00"), .unknownAccount),
            (run.transfer("@a", "@b", "1.00", asset: "XYZ"), .unknownAsset),
            (.create(Run.body("1.00", from: [Run.remaining("@a")], to: [Run.remaining("@b")]), form: .json, ledger: elsewhere), .entityNotFound),
            (run.create(Run.body("1.00", from: [Run.remaining("@a")], to: [Run.remaining("@b")], expiresAt: now.adding(seconds: 60))), .invalidPendingExpiry),
            (run.create(Run.body("1.00", from: [Run.remaining("@a")], to: [Run.remaining("@b")], pending: true, expiresAt: now)), .invalidPendingExpiry),
            (
                run.create(Run.body(
                    "1.00", from: [Run.remaining("@a")], to: [Run.remaining("@b")], pending: true,
                    expiresAt: now.adding(seconds: PostingEngine.maxPendingLifetimeSeconds + 1)
                )),
                .invalidPendingExpiry
            ),
        ]
        let outcomes = try await run.post(cases.map(\.0))
        #expect(outcomes.count == cases.count)
        for ((_, code), outcome) in zip(cases, outcomes) {
            if let code { Run.expect(outcome, refusedWith: code) } else { try Run.expectPosted(outcome) }
        }
        // Only the one command that passed moved money.
        #expect(try await run.available("@a") == "99.00")
        #expect(try await run.available("@b") == "1.00")
        #expect(try await run.available("@c") == "0.00")
        #expect(try await run.balance("@a").version == 2)
    }

    static func insufficientFunds(_ run: Run) async throws {
        let before = try await run.balance("@a")
        Run.expect(try await run.post(run.transfer("@a", "@b", "100.01")), refusedWith: .insufficientFunds)
        Run.expect(try await run.post(run.transfer("@a", "@b", "100.01", pending: true)), refusedWith: .insufficientFunds)
        #expect(try await run.balance("@a") == before)
        #expect(try await run.balance("@b").version == 0)

        try Run.expectPosted(try await run.post(run.transfer("@a", "@b", "100.00")))
        #expect(try await run.available("@a") == "0.00")
        Run.expect(try await run.post(run.transfer("@a", "@b", "0.01")), refusedWith: .insufficientFunds)
        Run.expect(try await run.post(run.transfer("@c", "@b", "0.01")), refusedWith: .insufficientFunds)
    }

    static func overdraft(_ run: Run) async throws {
        try Run.expectPosted(try await run.post(run.transfer("@od", "@b", "50.00")))
        #expect(try await run.available("@od") == "-50.00")
        Run.expect(try await run.post(run.transfer("@od", "@b", "0.01")), refusedWith: .insufficientFunds)
        Run.expect(try await run.post(run.transfer("@od", "@b", "0.01", pending: true)), refusedWith: .insufficientFunds)

        try Run.expectPosted(try await run.post(run.inflow("@od", "20.00")))
        #expect(try await run.available("@od") == "-30.00")
        try Run.expectPosted(try await run.post(run.transfer("@od", "@b", "20.00")))
        #expect(try await run.available("@od") == "-50.00")
        #expect(try await run.available("@b") == "70.00")
        // The external account has no floor: it is the world outside the ledger.
        #expect(try await run.available("@external/USD") == "-120.00")
    }

    static func sendingAndReceiving(_ run: Run) async throws {
        try Run.expectPosted(try await run.post(run.inflow("@nosend", "10.00")))
        Run.expect(try await run.post(run.transfer("@nosend", "@b", "1.00")), refusedWith: .sendingNotAllowed)
        Run.expect(try await run.post(run.transfer("@a", "@norecv", "1.00")), refusedWith: .receivingNotAllowed)
        Run.expect(try await run.post(run.transfer("@a", "@frozen", "1.00")), refusedWith: .accountBlocked)
        Run.expect(try await run.post(run.transfer("@frozen", "@b", "1.00")), refusedWith: .accountBlocked)
        Run.expect(try await run.post(run.inflow("@frozen", "1.00")), refusedWith: .accountBlocked)
        #expect(try await run.available("@a") == "100.00")
        #expect(try await run.available("@nosend") == "10.00")
    }

    static func batchInOrder(_ run: Run) async throws {
        let outcomes = try await run.post([
            run.transfer("@a", "@b", "60.00"),
            run.transfer("@a", "@b", "60.00"),  // only 40.00 left
            run.transfer("@b", "@a", "10.00"),  // sees the first one's credit
            run.transfer("@a", "@nobody", "1.00"),
        ])
        try #require(outcomes.count == 4)
        try Run.expectPosted(outcomes[0])
        Run.expect(outcomes[1], refusedWith: .insufficientFunds)
        try Run.expectPosted(outcomes[2])
        Run.expect(outcomes[3], refusedWith: .unknownAccount)
        let a = try await run.balance("@a")
        #expect(a.available.description == "50.00")
        // Written once for the batch, at one version per movement applied to it.
        #expect(a.version == 3)
        let b = try await run.balance("@b")
        #expect(b.available.description == "50.00")
        #expect(b.version == 2)
    }
}
