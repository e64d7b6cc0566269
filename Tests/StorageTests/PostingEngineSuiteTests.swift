import Bookkeeping
import BookkeepingTestSupport
import Controls
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// The shared posting suite (`PostingEngineSuite`) on SQLite and PostgreSQL: the same cases
/// `BookkeepingTests` runs in memory must give the same answers on a real database.
@Suite("Posting engine suite on SQL")
struct PostingEngineSuiteTests {
    @Test(arguments: TestBackend.available, PostingEngineSuite.cases)
    func rule(backend: TestBackend, suiteCase: PostingSuiteCase) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            try await suiteCase.run(on: SQLPostingBackend(persistence: persistence))
        }
    }
}

/// A fresh database as the suite's backend: the engine runs inside one unit of work per
/// batch, as the server's group commit runs it.
struct SQLPostingBackend: PostingSuiteBackend {
    let persistence: Persistence

    func seed(_ books: PostingBooks) async throws {
        try await persistence.write { work in
            let store = work.ledger
            try await store.insert(books.organization)
            try await store.insert(books.ledger)
            try await store.insert(books.portfolio)
            for asset in books.assets { try await store.insert(asset) }
            for (account, balance) in zip(books.accounts, books.balances) {
                try await store.insert(account)
                try await store.insertBalance(balance)
            }
        }
    }

    func run(_ commands: [PostingCommand], engine: PostingEngine) async throws -> [PostingEngine.Outcome] {
        try await persistence.write { work in try await engine.run(commands, store: work.ledger) }
    }

    func balance(id: String, in ledger: LedgerRef) async throws -> Balance? {
        try await persistence.ledger.balance(id: id, in: ledger)
    }

    func transaction(id: String, in ledger: LedgerRef) async throws -> Transaction? {
        try await persistence.ledger.transaction(id: id, in: ledger)
    }

    func setControl(_ subject: ControlSubject, id: String, in scope: EntityScope, to record: ControlRecord?) async throws {
        let found = try await persistence.write { work in
            try await work.ledger.setControl(subject, id: id, in: scope, to: record, at: record?.createdAt ?? Timestamp(microsecondsSinceEpoch: 0))
        }
        #expect(found, "no \(subject) \(id) to set a control on")
    }
}
