import Bookkeeping
import Foundation
import LedgerCore
import StrongroomKernel
import Testing

/// One case's world: a backend seeded with the suite's books, the engine on a clock the case
/// moves, and the few helpers the cases share to post and to read back.
///
/// The books: USD (scale 2) with `@a` (funded with 100.00 at the start), `@b` … `@e`, `@od`
/// (overdraft up to 50.00), `@nosend`, `@norecv`, `@frozen` (a blocked account) and `@pf`
/// (in the books' portfolio, for the lock cases); EUR with
/// `@eur`; and for each scale in `scaledAssets`, three accounts `@<code>-a`, `-b`, `-c`.
public struct PostingSuiteRun: Sendable {
    /// The assets of the scale cases, one per scale the ledger must hold exactly.
    public static let scaledAssets: [(code: String, scale: Int)] = [("JPY", 0), ("CHF", 2), ("BTC", 8), ("WEI", 18)]

    public let backend: any PostingSuiteBackend
    public let clock: ManualClock
    public let engine: PostingEngine
    public let books: PostingBooks

    public var ref: LedgerRef { books.ref }

    /// Seeds a fresh backend and funds `@a`.
    public static func open(on backend: any PostingSuiteBackend) async throws -> PostingSuiteRun {
        let clock = ManualClock()
        var books = PostingBooks(clock: clock)
        books.addAsset("USD", scale: 2)
        for alias in ["@a", "@b", "@c", "@d", "@e"] { books.addAccount(alias, asset: "USD") }
        books.addAccount("@od", asset: "USD", overdraftLimit: try Amount(parsing: "50.00", scale: 2))
        books.addAccount("@nosend", asset: "USD", allowSending: false)
        books.addAccount("@norecv", asset: "USD", allowReceiving: false)
        books.addAccount("@frozen", asset: "USD", blocked: true)
        books.addAccount("@pf", asset: "USD", inPortfolio: true)
        books.addAsset("EUR", scale: 2)
        books.addAccount("@eur", asset: "EUR")
        for (code, scale) in scaledAssets {
            books.addAsset(code, scale: scale)
            for suffix in ["a", "b", "c"] { books.addAccount("@\(code.lowercased())-\(suffix)", asset: code) }
        }
        try await backend.seed(books)
        let run = PostingSuiteRun(backend: backend, clock: clock, engine: PostingEngine(clock: clock), books: books)
        _ = try await run.post(run.inflow("@a", "100.00")).get()
        return run
    }

    // MARK: Posting

    public func post(_ commands: [PostingCommand]) async throws -> [PostingEngine.Outcome] {
        try await backend.run(commands, engine: engine)
    }

    /// A batch of one, as a request is.
    public func post(_ command: PostingCommand) async throws -> PostingEngine.Outcome {
        let outcomes = try await post([command])
        #expect(outcomes.count == 1, "one command answered with \(outcomes.count) outcomes")
        return try #require(outcomes.first)
    }

    public func create(_ body: TransactionBody, form: TransactionForm = .json) -> PostingCommand {
        .create(body, form: form, ledger: ref)
    }

    /// Money from the asset's `@external` account into `alias`.
    public func inflow(_ alias: String, _ value: String, asset: String = "USD") -> PostingCommand {
        create(TransactionBody(send: .init(asset: asset, value: value, distribute: .init(to: [Self.remaining(alias)]))), form: .inflow)
    }

    /// `value` from `from` to `to`, whole.
    public func transfer(_ from: String, _ to: String, _ value: String, asset: String = "USD", pending: Bool = false) -> PostingCommand {
        create(Self.body(value, asset: asset, from: [Self.remaining(from)], to: [Self.remaining(to)], pending: pending))
    }

    public static func body(
        _ value: String, asset: String = "USD", from: [TransactionBody.Leg], to: [TransactionBody.Leg], pending: Bool = false,
        expiresAt: Timestamp? = nil
    ) -> TransactionBody {
        var body = TransactionBody(send: .init(asset: asset, value: value, source: .init(from: from), distribute: .init(to: to)))
        if pending { body.pending = true }
        body.pendingExpiresAt = expiresAt?.description
        return body
    }

    public static func remaining(_ alias: String) -> TransactionBody.Leg {
        TransactionBody.Leg(accountAlias: alias, remaining: "remaining")
    }

    public static func amount(_ alias: String, _ value: String, asset: String = "USD") -> TransactionBody.Leg {
        TransactionBody.Leg(accountAlias: alias, amount: .init(asset: asset, value: value))
    }

    /// A leg taking `percentage` % (of `ofPercentage` %) of the value, rounded down.
    public static func share(_ alias: String, _ percentage: Int, of ofPercentage: Int? = nil) throws -> TransactionBody.Leg {
        // `Share` is decoded from a request, never built in code: it has no public initializer.
        let json = ofPercentage.map { #"{"percentage":\#(percentage),"percentageOfPercentage":\#($0)}"# } ?? #"{"percentage":\#(percentage)}"#
        let share = try JSONDecoder().decode(TransactionBody.Share.self, from: Data(json.utf8))
        return TransactionBody.Leg(accountAlias: alias, share: share)
    }

    // MARK: Reading back

    /// The stored balance of the account with this alias.
    public func balance(_ alias: String) async throws -> BalanceState {
        let id = try #require(books.balanceID(alias), "no account \(alias) in the suite's books")
        return try #require(try await backend.balance(id: id, in: ref), "the balance of \(alias) is not stored").state
    }

    public func available(_ alias: String) async throws -> String {
        try await balance(alias).available.description
    }

    public func transaction(_ id: String) async throws -> Transaction {
        try #require(try await backend.transaction(id: id, in: ref), "transaction \(id) is not stored")
    }

    // MARK: Expectations

    /// Expects the command refused with `code`: tests compare codes, never messages.
    public static func expect(
        _ outcome: PostingEngine.Outcome, refusedWith code: ErrorCode, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        switch outcome {
        case .success(let transaction):
            Issue.record("expected \(code), but transaction \(transaction.id) was posted", sourceLocation: sourceLocation)
        case .failure(let error):
            #expect(error.code == code, "refused with \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Expects the command posted, and answers its transaction.
    @discardableResult
    public static func expectPosted(
        _ outcome: PostingEngine.Outcome, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Transaction {
        switch outcome {
        case .success(let transaction):
            return transaction
        case .failure(let error):
            Issue.record("expected it posted, but it was refused: \(error)", sourceLocation: sourceLocation)
            throw error
        }
    }
}
