import Audit
import Bookkeeping
import Events
import Foundation
@testable import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// The events outbox on both backends (migration 12, `EventSchema`, and `EventRecords`):
/// events commit with their unit of work or not at all, page in order after a cursor within
/// a scope, are swept oldest first behind a horizon, are never rewritten, and a reader
/// paging while units of work commit out of step never passes over one.
@Suite("Event store")
struct EventStoreTests {
    static let organizationA = "0190a5b2-0000-7000-8000-00000000000a"
    static let organizationB = "0190a5b2-0000-7000-8000-00000000000b"
    static let ledgerA1 = "0190a5b2-0000-7000-8000-0000000000a1"
    static let ledgerA2 = "0190a5b2-0000-7000-8000-0000000000a2"
    static let at = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)
    static let ids = IdentifierGenerator(clock: SystemClock())

    static func event(
        _ type: EventType = .transactionPosted, organization: String? = organizationA, ledger: String? = ledgerA1,
        at time: Timestamp = at, body: String = #"{"n":1}"#
    ) throws -> EventEnvelope {
        try EventEnvelope(
            id: ids.nextText(), type: type, time: time, organizationID: organization, ledgerID: ledger, orderingKey: nil,
            body: Array(body.utf8)
        )
    }

    static func audit(_ n: Int) -> AuditEvent {
        AuditEvent(action: "test.event", resource: "test:\(n)", outcome: .success, actor: .system, requestID: "r\(n)")
    }

    /// Makes the database refuse an audit record with this action (as the owner, who may add
    /// triggers): a unit of work that records one fails at its last step.
    static func refuseAuditAction(_ action: String, in database: TestDatabase) async throws {
        let owner = try await database.openAsOwner(maximumConnections: 1)
        do {
            try await owner.transaction { executor in
                switch executor.dialect {
                case .sqlite:
                    try await executor.execute("""
                        CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_events WHEN NEW.action = '\(action)'
                        BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                        """)
                case .postgres:
                    try await executor.execute("""
                        CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF NEW.action = '\(action)' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                            RETURN NEW;
                        END
                        $$
                        """)
                    try await executor.execute(
                        "CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()"
                    )
                }
            }
            await owner.close()
        } catch {
            await owner.close()
            throw error
        }
    }

    /// Everything after `cursor`, page by page.
    static func all(_ persistence: Persistence, after cursor: Int64 = 0, scope: EventReadScope = .everything) async throws -> [StoredEvent] {
        var out: [StoredEvent] = []
        var cursor = cursor
        while true {
            let page = try await persistence.events.page(after: cursor, scope: scope, limit: 2)
            guard let last = page.events.last else { return out }
            out += page.events
            cursor = last.seq
        }
    }

    @Test(arguments: TestBackend.available)
    func eventsCommitWithTheirUnitOfWorkAndPageInOrder(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, database in
            let first = [try Self.event(), try Self.event(.transactionPending, body: #"{"n":2}"#)]
            try await persistence.write { work in
                work.emit(first)
                work.record(Self.audit(1))
            }
            // A unit of work that fails after emitting writes nothing.
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await persistence.write { work in
                    work.emit([try Self.event(body: #"{"lost":true}"#)])
                    work.record(Self.audit(2))
                    throw Refused()
                }
            }
            // Nor does one that fails after its events were inserted: the audit append, the
            // step after the outbox's, is refused here by a trigger the owner adds.
            try await Self.refuseAuditAction("test.refused", in: database)
            await #expect(throws: (any Error).self) {
                try await persistence.write { work in
                    work.emit([try Self.event(body: #"{"lost":"late"}"#)])
                    work.record(AuditEvent(action: "test.refused", resource: "test:3", outcome: .success, actor: .system, requestID: "r3"))
                }
            }
            let second = try Self.event(.accountCreated, organization: Self.organizationB, ledger: nil)
            try await persistence.write { work in work.emit([second]) }

            let stored = try await Self.all(persistence)
            #expect(stored.map(\.envelope) == first + [second])
            #expect(stored.map(\.seq) == stored.map(\.seq).sorted() && Set(stored.map(\.seq)).count == 3)
            // The envelope renders from the row as it did before it was stored.
            #expect(stored[0].envelope.json == first[0].json)
            #expect(try await persistence.events.oldestRetained() == stored[0].seq)
            // After the last event: an empty page, and the horizon untouched.
            let tail = try await persistence.events.page(after: stored[2].seq, scope: .everything, limit: 10)
            #expect(tail.events.isEmpty && tail.purgedThrough == 0 && !tail.missesEvents(after: 0))
        }
    }

    /// More events than one SQLite INSERT carries: every one stored, numbered in the order
    /// emitted.
    @Test(arguments: TestBackend.available)
    func aLargeUnitOfWorkKeepsItsEventsInOrder(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let events = try (0..<1_201).map { try Self.event(body: #"{"n":\#($0)}"#) }
            try await persistence.write { work in
                work.emit(Array(events[..<700]))
                work.emit(Array(events[700...]))
            }
            var stored: [StoredEvent] = []
            var cursor: Int64 = 0
            while true {
                let page = try await persistence.events.page(after: cursor, scope: .everything, limit: EventRecords.maxPage)
                guard let last = page.events.last else { break }
                stored += page.events
                cursor = last.seq
            }
            #expect(stored.map(\.envelope) == events)
        }
    }

    @Test(arguments: TestBackend.available)
    func aScopedReaderSeesOnlyItsOrganizationsAndLedgers(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let events = [
                try Self.event(organization: Self.organizationA, ledger: Self.ledgerA1),
                try Self.event(organization: Self.organizationA, ledger: Self.ledgerA2),
                try Self.event(.organizationUpdated, organization: Self.organizationA, ledger: nil),
                try Self.event(organization: Self.organizationB, ledger: "0190a5b2-0000-7000-8000-0000000000b1"),
                try Self.event(.keyRotated, organization: nil, ledger: nil),
            ]
            try await persistence.write { work in work.emit(events) }
            func seen(_ scope: EventReadScope) async throws -> [EventEnvelope] { try await Self.all(persistence, scope: scope).map(\.envelope) }

            #expect(try await seen(.everything) == events)
            #expect(try await seen(EventReadScope(organizations: [Self.organizationA], ledgers: [])) == Array(events[0..<3]))
            let oneLedger = EventReadScope(organizations: [], ledgers: [LedgerRef(organizationID: Self.organizationA, ledgerID: Self.ledgerA2)])
            #expect(try await seen(oneLedger) == [events[1]])
            #expect(try await seen(EventReadScope(organizations: [Self.organizationB], ledgers: [])) == [events[3]])
            #expect(try await seen(EventReadScope(organizations: [], ledgers: [])).isEmpty)
            // A ledger of B named with A's id reaches nothing of B.
            let crossed = EventReadScope(organizations: [], ledgers: [LedgerRef(organizationID: Self.organizationA, ledgerID: "0190a5b2-0000-7000-8000-0000000000b1")])
            #expect(try await seen(crossed).isEmpty)
            // The SQL filter and the scope's own rule agree on every event and scope.
            for scope in [EventReadScope.everything, EventReadScope(organizations: [Self.organizationA], ledgers: []), oneLedger, crossed] {
                #expect(try await seen(scope) == events.filter { scope.contains(organizationID: $0.organizationID, ledgerID: $0.ledgerID) })
            }
        }
    }

    @Test(arguments: TestBackend.available)
    func theSweepDeletesTheOldestEventsBehindAHorizon(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let old = try (0..<5).map { _ in try Self.event(at: Self.at) }
            let young = try (0..<3).map { _ in try Self.event(at: Self.at.adding(seconds: 3600)) }
            try await persistence.write { work in work.emit(old) }
            try await persistence.write { work in work.emit(young) }
            let before = try await Self.all(persistence)
            let cutoff = Self.at.adding(seconds: 60)

            // Two at a time: a prefix goes, and the horizon follows it.
            #expect(try await persistence.write { try await $0.eventRecords.sweep(before: cutoff, batch: 2) } == 2)
            #expect(try await persistence.events.purgedThrough() == before[1].seq)
            #expect(try await persistence.write { try await $0.eventRecords.sweep(before: cutoff, batch: 100) } == 3)
            #expect(try await persistence.write { try await $0.eventRecords.sweep(before: cutoff, batch: 100) } == 0)
            #expect(try await Self.all(persistence).map(\.envelope) == young)
            #expect(try await persistence.events.oldestRetained() == before[5].seq)

            // A reader whose cursor is behind the horizon has missed events; one at it has not.
            let behind = try await persistence.events.page(after: before[2].seq, scope: .everything, limit: 10)
            #expect(behind.missesEvents(after: before[2].seq))
            let atHorizon = try await persistence.events.page(after: before[4].seq, scope: .everything, limit: 10)
            #expect(!atHorizon.missesEvents(after: before[4].seq) && atHorizon.events.map(\.envelope) == young)

            // Emptied, the table hands out no number twice.
            #expect(try await persistence.write { try await $0.eventRecords.sweep(before: Self.at.adding(seconds: 7200), batch: 100) } == 3)
            #expect(try await persistence.events.oldestRetained() == nil)
            let later = try Self.event()
            try await persistence.write { work in work.emit([later]) }
            #expect(try await Self.all(persistence, after: before[7].seq).map(\.envelope) == [later])
        }
    }

    @Test(arguments: TestBackend.available)
    func anEventIsNeverRewritten(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, database in
            try await persistence.write { work in work.emit([try Self.event()]) }
            // Neither the service role (its grant has no UPDATE, and the trigger) nor the owner
            // (the trigger) rewrites an event.
            for statement in ["UPDATE events SET body = '{}'", "UPDATE events SET seq = seq + 100"] {
                await #expect(throws: (any Error).self) {
                    try await persistence.write { work in try await work.executor.execute(statement) }
                }
                let owner = try await database.openAsOwner(maximumConnections: 1)
                await #expect(throws: (any Error).self) {
                    try await owner.transaction { executor in try await executor.execute(statement) }
                }
                await owner.close()
            }
            #expect(try await Self.all(persistence).map(\.envelope.body) == [Array(#"{"n":1}"#.utf8)])
        }
    }

    /// Unit of work A draws its number and stays open; B, started after it, commits first if
    /// it can. A reader paging meanwhile must never move its cursor past A's number before A
    /// is visible: with the numbers drawn under the chain lock, B waits for A.
    @Test(arguments: TestBackend.available)
    func aReaderNeverPassesOverAnEventStillToCommit(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let (opened, openedSignal) = AsyncStream<Void>.makeStream()
            let (release, releaseSignal) = AsyncStream<Void>.makeStream()
            let a = try Self.event(body: #"{"n":"a"}"#)
            let b = try Self.event(body: #"{"n":"b"}"#)
            let first = Task {
                try await persistence.database.transaction { executor in
                    try await EventRecords(executor: executor).append([a])
                    openedSignal.yield()
                    for await _ in release { break }
                }
            }
            for await _ in opened { break }
            let second = Task {
                try await persistence.database.transaction { executor in try await EventRecords(executor: executor).append([b]) }
            }
            // Give B every chance to commit ahead of A, reading as it goes.
            var seen: [StoredEvent] = []
            var cursor: Int64 = 0
            for _ in 0..<10 {
                try await Task.sleep(for: .milliseconds(30))
                let page = try await persistence.events.page(after: cursor, scope: .everything, limit: 10)
                seen += page.events
                cursor = page.events.last?.seq ?? cursor
            }
            releaseSignal.yield()
            try await first.value
            try await second.value
            let page = try await persistence.events.page(after: cursor, scope: .everything, limit: 10)
            seen += page.events
            #expect(seen.map(\.envelope) == [a, b])
        }
    }
}
