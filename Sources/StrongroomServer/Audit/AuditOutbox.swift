import Audit
import StrongroomKernel
import Synchronization

/// Records of requests that changed nothing (refused by a rule, denied by the guard), on
/// their way to the chain outside any ledger transaction. Bounded: per flush interval, up to
/// `maxEventsPerKey` events of one (actor, source, action, outcome) and `maxEvents` in all
/// are kept one by one; beyond that each event only increments a counter for its key,
/// itself bounded to `maxTallies` keys with one overflow counter per action and outcome
/// after that. So a flood (thousands of failed logins from one address) costs a counter
/// increment per request and a handful of chain records per interval, memory stays
/// bounded, and the counts still add up to every event: nothing is dropped silently.
final class AuditOutbox: Sendable {
    struct Limits: Sendable {
        var maxEvents = 1_000
        var maxEventsPerKey = 16
        var maxTallies = 1_000
    }

    fileprivate struct TallyKey: Hashable {
        let actor: AuditActor
        let action: String
        let outcome: AuditEvent.Outcome
    }

    fileprivate struct Tally {
        var count: Int64
        var first: Timestamp
        var last: Timestamp
    }

    /// What the outbox holds: single events in arrival order, and the counters.
    struct Contents: Sendable {
        fileprivate var events: [AuditEvent] = []
        /// How many of `events` each key holds.
        fileprivate var singles: [TallyKey: Int] = [:]
        fileprivate var tallies: [TallyKey: Tally] = [:]

        var isEmpty: Bool { events.isEmpty && tallies.isEmpty }

        /// What the chain receives: the single events, then one aggregate record per counter
        /// (`count`, `first`, `last` in its summary).
        var records: [AuditEvent] {
            events + tallies
                .sorted { ($0.value.first, $0.key.action, $0.key.actor.id) < ($1.value.first, $1.key.action, $1.key.actor.id) }
                .map { key, tally in
                    AuditEvent(
                        action: key.action, resource: AuditOutbox.aggregateResource, outcome: key.outcome, actor: key.actor,
                        requestID: "aggregate",
                        summary: [
                            "count": .number(tally.count), "first": .text(tally.first.description), "last": .text(tally.last.description),
                        ]
                    )
                }
        }
    }

    static let aggregateResource = "aggregate"
    private static let overflowActor = AuditActor(kind: .anonymous, id: "*", sourceAddress: "*")

    private let limits: Limits
    private let clock: any WallClock
    private let state = Mutex(Contents())

    init(limits: Limits = Limits(), clock: any WallClock) {
        self.limits = limits
        self.clock = clock
    }

    func add(_ event: AuditEvent) {
        let now = clock.now()
        state.withLock { state in Self.keep(event, at: now, in: &state, limits: limits) }
    }

    /// One event, kept as itself while its key and the outbox have room, else counted.
    private static func keep(_ event: AuditEvent, at now: Timestamp, in state: inout Contents, limits: Limits) {
        let key = TallyKey(actor: event.actor, action: event.action, outcome: event.outcome)
        let singles = state.singles[key, default: 0]
        if state.events.count < limits.maxEvents, singles < limits.maxEventsPerKey {
            state.events.append(event)
            state.singles[key] = singles + 1
        } else {
            tally(event.actor, event.action, event.outcome, count: 1, first: now, last: now, into: &state, limits: limits)
        }
    }

    /// Takes everything queued.
    func drain() -> Contents {
        state.withLock { state in
            defer { state = Contents() }
            return state
        }
    }

    /// Puts back what a flush could not write, ahead of anything queued since; what no longer
    /// fits one by one is counted instead.
    func restore(_ taken: Contents) {
        let now = clock.now()
        state.withLock { state in
            let queued = state.events
            state.events = []
            state.singles = [:]
            for event in taken.events + queued { Self.keep(event, at: now, in: &state, limits: limits) }
            for (key, tally) in taken.tallies {
                Self.tally(key.actor, key.action, key.outcome, count: tally.count, first: tally.first, last: tally.last, into: &state, limits: limits)
            }
        }
    }

    /// How many events are waiting, counting each aggregate's events.
    var pendingCount: Int64 {
        state.withLock { state in Int64(state.events.count) + state.tallies.values.reduce(0) { $0 + $1.count } }
    }

    private static func tally(
        _ actor: AuditActor, _ action: String, _ outcome: AuditEvent.Outcome, count: Int64, first: Timestamp, last: Timestamp,
        into state: inout Contents, limits: Limits
    ) {
        var key = TallyKey(actor: actor, action: action, outcome: outcome)
        if state.tallies[key] == nil, state.tallies.count >= limits.maxTallies {
            key = TallyKey(actor: overflowActor, action: action, outcome: outcome)
        }
        if var tally = state.tallies[key] {
            tally.count += count
            tally.first = min(tally.first, first)
            tally.last = max(tally.last, last)
            state.tallies[key] = tally
        } else {
            state.tallies[key] = Tally(count: count, first: first, last: last)
        }
    }
}
