import Bookkeeping
import Foundation
import StrongroomKernel
import Testing

/// TigerBeetle's VOPR in miniature: the group-commit machine driven through 100,000 random
/// steps (arrivals, flush successes, flushes failing as a whole or for want of a database,
/// lingers ending, shutdowns) drawn from a seed, with every invariant checked after every
/// step: each request is answered exactly once, and only after it travelled in a flush (or
/// at once, when refused); no flush carries more than `maxBatch`; no more flushes run than
/// allowed; fresh batches leave in the order requests came; nothing is accepted after
/// shutdown; and nothing is left unanswered when a shutdown has drained.
///
/// A run is episodes: each starts a machine with limits drawn from the seed, and ends when
/// a shutdown has drained it. A failure names its seed and step; `STRONGROOM_SIMULATION_SEED=<s>`
/// replays exactly that seed. By default ten fixed seeds run, about 0.2 s each in a debug
/// build (CI's budget for this is 10 s); `STRONGROOM_SIMULATION_SEEDS=<n>` runs n seeds drawn
/// at random instead, for a longer search, each named if it fails.
@Suite("Group commit simulation")
struct GroupCommitSimulationTests {
    static let steps = 100_000
    static let defaultSeedCount = 10
    /// Where the default seeds come from: fixed, so CI runs the same steps every time.
    static let defaultSeedSource: UInt64 = 0x5EED_0022

    static func seeds() -> [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let text = environment["STRONGROOM_SIMULATION_SEED"], let seed = UInt64(text) { return [seed] }
        if let text = environment["STRONGROOM_SIMULATION_SEEDS"], let count = Int(text), count > 0 {
            var system = SystemRandomNumberGenerator()
            return (0..<count).map { _ in system.next() }
        }
        var source = SplitMix64(seed: defaultSeedSource)
        return (0..<defaultSeedCount).map { _ in source.next() }
    }

    @Test func everyRequestIsAnsweredOnceWithinTheLimits() {
        for seed in Self.seeds() {
            var simulation = GroupCommitSimulation(seed: seed)
            do {
                try simulation.run(steps: Self.steps)
            } catch {
                Issue.record("\(error) (replay: STRONGROOM_SIMULATION_SEED=\(seed) swift test --filter GroupCommitSimulationTests)")
                return
            }
            #expect(simulation.episodes > 10, "seed \(seed): shutdown too rare to be tested (\(simulation.episodes) episodes)")
            #expect(simulation.counts.rejectedFull > 0, "seed \(seed): the queue was never full")
            #expect(simulation.counts.retried > 0, "seed \(seed): no batch failed as a whole")
        }
    }
}

/// A broken invariant: where and what.
struct SimulationFailure: Error, CustomStringConvertible {
    let seed: UInt64
    let step: Int
    let what: String

    var description: String { "simulation failed: seed \(seed), step \(step): \(what)" }
}

/// The world around one machine: the flushes it started and not yet reported, the lingers
/// not yet elapsed, and what each request has been told.
struct GroupCommitSimulation {
    typealias Machine = GroupCommitMachine<Int>

    struct Counts {
        var submitted = 0
        var rejectedFull = 0
        var rejectedShutdown = 0
        var retried = 0
    }

    let seed: UInt64
    private var random: SplitMix64
    private var step = 0
    private(set) var episodes = 0
    private(set) var counts = Counts()

    // One episode's world.
    private var machine: Machine
    /// The machine's limits, as the simulation chose them (checked against, never read back).
    private var limits: GroupCommitLimits
    private var arrivalWeight: UInt64 = 50
    private var running: [GroupCommitFlushID: [Int]] = [:]
    /// Flush ids in the order they started, so a pick from them is reproducible.
    private var runningOrder: [GroupCommitFlushID] = []
    private var lingers: [GroupCommitFlushID] = []
    private var shutDown = false
    private var drained = false
    /// Accepted and not yet answered (queued, in flight, or waiting to re-run alone).
    private var open: Set<Int> = []
    private var inFlight: Set<Int> = []
    private var answers: [Int: Int] = [:]
    /// Accepted requests in the order they came, not yet in a batch; from `freshHead` on.
    private var freshWaiting: [Int] = []
    private var freshHead = 0
    private var submittedThisEpisode = 0
    private var nextRequest = 1

    init(seed: UInt64) {
        self.seed = seed
        self.random = SplitMix64(seed: seed)
        self.limits = GroupCommitLimits(maxBatch: 1, flushes: 1, lingers: false, maxQueuedCommands: 1)
        self.machine = Machine(limits: limits)
        startEpisode()
    }

    mutating func run(steps: Int) throws(SimulationFailure) {
        for _ in 0..<steps {
            step += 1
            try takeStep()
        }
        // The end of the run is a last shutdown: everything still open must be answered.
        try drainForGood()
    }

    // MARK: Steps

    private mutating func startEpisode() {
        episodes += 1
        limits = GroupCommitLimits(
            maxBatch: pick(1...8), flushes: pick(1...4), lingers: pick(0...1) == 1, maxQueuedCommands: pick(1...24)
        )
        machine = Machine(limits: limits)
        arrivalWeight = UInt64(pick(25...70))
        running = [:]
        runningOrder = []
        lingers = []
        shutDown = false
        drained = false
        freshWaiting = []
        freshHead = 0
    }

    private mutating func takeStep() throws(SimulationFailure) {
        if drained {
            try checkEpisodeEnd()
            startEpisode()
            return
        }
        let roll = random.next() % 1000
        if roll < 2, !shutDown {
            try apply(machine.shutdown(), after: .shutdown)
        } else if roll < 2 + arrivalWeight * 10 {
            try submit()
        } else if roll < 900, !runningOrder.isEmpty {
            try finishAFlush()
        } else if !lingers.isEmpty {
            let id = lingers.remove(at: pick(0...(lingers.count - 1)))
            try apply(machine.lingerElapsed(id), after: .linger)
        } else {
            try submit()
        }
    }

    private mutating func submit() throws(SimulationFailure) {
        let request = nextRequest
        nextRequest += 1
        counts.submitted += 1
        let queuedBefore = machine.queuedCount
        let actions = machine.submit(request)
        let rejected = actions.contains { if case .reject(request, _) = $0 { true } else { false } }
        if shutDown, !rejected { throw failure("request \(request) was accepted after shutdown") }
        if !shutDown, !rejected, queuedBefore >= limits.maxQueuedCommands {
            throw failure("request \(request) was queued behind \(queuedBefore), over the limit \(limits.maxQueuedCommands)")
        }
        submittedThisEpisode += 1
        if !rejected {
            open.insert(request)
            freshWaiting.append(request)
        }
        try apply(actions, after: .submit(request, queuedBefore: queuedBefore))
    }

    private mutating func finishAFlush() throws(SimulationFailure) {
        let id = runningOrder[pick(0...(runningOrder.count - 1))]
        let roll = random.next() % 100
        if roll < 80 {
            try apply(machine.flushSucceeded(id), after: .finished(id, nil))
        } else if roll < 95 {
            try apply(machine.flushFailed(id, .wholeBatch), after: .finished(id, .wholeBatch))
        } else {
            try apply(machine.flushFailed(id, .unavailable), after: .finished(id, .unavailable))
        }
    }

    /// Shuts down (if not yet) and reports every flush and linger until the machine drains.
    private mutating func drainForGood() throws(SimulationFailure) {
        if !shutDown { try apply(machine.shutdown(), after: .shutdown) }
        var rounds = 0
        while !drained {
            rounds += 1
            step += 1
            if rounds > 1_000_000 { throw failure("no drain after shutdown: \(running.count) flushes, \(open.count) open") }
            if !runningOrder.isEmpty {
                try finishAFlush()
            } else if !lingers.isEmpty {
                try apply(machine.lingerElapsed(lingers.removeFirst()), after: .linger)
            } else {
                throw failure("shut down, nothing running, yet not drained: \(open.count) requests open")
            }
        }
        try checkEpisodeEnd()
    }

    // MARK: Checking what the machine did

    enum Event {
        case submit(Int, queuedBefore: Int)
        case finished(GroupCommitFlushID, GroupCommitFailure?)
        case linger
        case shutdown
    }

    private mutating func apply(_ actions: [Machine.Action], after event: Event) throws(SimulationFailure) {
        if case .shutdown = event { shutDown = true }
        var reported: [Int]?
        if case .finished(let id, _) = event {
            guard let items = running.removeValue(forKey: id) else { throw failure("\(id) was reported but never started") }
            runningOrder.removeAll { $0 == id }
            inFlight.subtract(items)
            reported = items
        }
        for action in actions {
            switch action {
            case .flush(let id, let items, let isRetry):
                if items.isEmpty || items.count > limits.maxBatch {
                    throw failure("\(id) carries \(items.count) requests; the limit is \(limits.maxBatch)")
                }
                if isRetry, items.count != 1 { throw failure("a re-run \(id) carries \(items.count) requests, not one") }
                if running[id] != nil || lingers.contains(id) { throw failure("\(id) started twice") }
                for item in items {
                    if !open.contains(item) { throw failure("\(id) carries request \(item), which is not open") }
                    if inFlight.contains(item) { throw failure("\(id) carries request \(item), already in flight") }
                }
                if !isRetry {
                    // First come, first flushed: a fresh batch is the head of what waits.
                    let head = freshWaiting[freshHead..<min(freshWaiting.count, freshHead + items.count)]
                    if !head.elementsEqual(items) {
                        throw failure("\(id) carries \(items), but \(Array(head)) came first")
                    }
                    freshHead += items.count
                } else {
                    counts.retried += 1
                }
                running[id] = items
                runningOrder.append(id)
                inFlight.formUnion(items)
                if running.count > limits.flushes {
                    throw failure("\(running.count) flushes run at once; the limit is \(limits.flushes)")
                }
            case .linger(let id):
                if !limits.lingers { throw failure("\(id) lingers, but lingering is off") }
                lingers.append(id)
            case .succeed(let items):
                guard let batch = reported, case .finished(_, nil) = event, batch == items else {
                    throw failure("answered \(items) as committed, but that flush did not just commit")
                }
                try answer(items)
            case .fail(let items):
                guard let batch = reported, case .finished(_, let failure?) = event, batch == items,
                      failure == .unavailable || items.count == 1
                else { throw self.failure("answered \(items) with an error their flush did not give") }
                try answer(items)
            case .reject(let item, let reason):
                guard case .submit(let request, let queuedBefore) = event, request == item else {
                    throw failure("request \(item) was refused, but it did not just arrive")
                }
                switch reason {
                case .shuttingDown:
                    if !shutDown { throw failure("request \(item) refused as shutting down before shutdown") }
                    counts.rejectedShutdown += 1
                case .queueFull:
                    if shutDown || queuedBefore < limits.maxQueuedCommands {
                        throw failure("request \(item) refused as the queue was full with \(queuedBefore) of \(limits.maxQueuedCommands)")
                    }
                    counts.rejectedFull += 1
                }
                try answer([item], refused: true)
            case .drained:
                if !shutDown { throw failure("drained before shutdown") }
                if !running.isEmpty { throw failure("drained with \(running.count) flushes running") }
                if !open.isEmpty { throw failure("drained with \(open.count) requests unanswered: \(open.sorted().prefix(5))") }
                drained = true
            }
        }
        if case .finished(_, let failure) = event, failure == .wholeBatch, let batch = reported, batch.count > 1 {
            // Each item must be re-run alone, not answered: still open, now queued again.
            for item in batch where !open.contains(item) {
                throw self.failure("request \(item) of a failed batch was answered instead of re-run alone")
            }
        }
        if running.count != machine.runningFlushes {
            throw failure("the machine runs \(machine.runningFlushes) flushes, the world \(running.count)")
        }
    }

    private mutating func answer(_ items: [Int], refused: Bool = false) throws(SimulationFailure) {
        for item in items {
            let count = answers[item, default: 0] + 1
            answers[item] = count
            if count > 1 { throw failure("request \(item) answered \(count) times") }
            if !refused, open.remove(item) == nil { throw failure("request \(item) answered but was never accepted") }
        }
    }

    private mutating func checkEpisodeEnd() throws(SimulationFailure) {
        if !open.isEmpty { throw failure("episode over with \(open.count) requests unanswered") }
        if answers.count != submittedThisEpisode {
            throw failure("\(submittedThisEpisode) requests submitted, \(answers.count) answered")
        }
        // Each answered once is checked as it happens; the map is only needed per episode.
        answers.removeAll(keepingCapacity: true)
        submittedThisEpisode = 0
    }

    // MARK: Helpers

    private mutating func pick(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &random)
    }

    private func failure(_ what: String) -> SimulationFailure {
        SimulationFailure(seed: seed, step: step, what: what)
    }
}
