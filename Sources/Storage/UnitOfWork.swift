import Audit
import Bookkeeping
import Events
import Identity
import Synchronization

/// One write: one database transaction, with every store bound to it and the audit events
/// it produced. Everything done through a unit of work commits together or not at all.
///
/// After the body has run and before the commit, `Persistence.write` stores the responses
/// kept under idempotency keys, then writes the emitted events to the outbox, then appends
/// the audit events to the chain (one chain lock per unit of work, however many events it
/// holds, taken by the outbox step when it has events). Each is a named step, not an open hook.
public final class UnitOfWork: Sendable {
    public let identity: any IdentityStore
    public let ledger: any LedgerStore
    public let idempotency: IdempotencyRecords
    public let controlRules: ControlRuleRecords
    public let holders: HolderRecords
    public let holderAliases: HolderAliasRecords
    /// The outbox's retention sweep (events are written by `emit`, not through this store).
    public let eventRecords: EventRecords
    let executor: any SQLExecutor
    private let events = Mutex<[AuditEvent]>([])
    private let responses = Mutex<[IdempotencyRecord]>([])
    private let emitted = Mutex<[EventEnvelope]>([])

    init(executor: any SQLExecutor) {
        self.executor = executor
        self.identity = SQLIdentityStore(executor: executor)
        self.ledger = SQLLedgerStore(executor: executor)
        self.idempotency = IdempotencyRecords(executor: executor)
        self.controlRules = ControlRuleRecords(executor: executor)
        self.holders = HolderRecords(executor: executor)
        self.holderAliases = HolderAliasRecords(executor: executor)
        self.eventRecords = EventRecords(executor: executor)
    }

    /// Adds an audit event to this unit of work; it is recorded only if the work commits.
    public func record(_ event: AuditEvent) {
        events.withLock { $0.append(event) }
    }

    public var recordedEvents: [AuditEvent] { events.withLock { $0 } }

    /// Stores a response under its idempotency key when the work commits: every response of
    /// a unit of work in one statement (a group commit carries many).
    public func storeResponse(_ record: IdempotencyRecord) {
        responses.withLock { $0.append(record) }
    }

    var storedResponses: [IdempotencyRecord] { responses.withLock { $0 } }

    /// Adds events to the outbox when the work commits: every event of a unit of work in one
    /// statement, in the order emitted. A unit of work that rolls back takes them with it.
    public func emit(_ events: [EventEnvelope]) {
        guard !events.isEmpty else { return }
        emitted.withLock { $0 += events }
    }

    public var emittedEvents: [EventEnvelope] { emitted.withLock { $0 } }
}
