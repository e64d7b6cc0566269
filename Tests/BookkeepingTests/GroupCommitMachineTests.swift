import Bookkeeping
import Testing

/// The group-commit state machine driven by hand, with no I/O and no clocks: each test
/// feeds events and compares the actions the shell would perform, written as short text
/// (`flush 1 [1, 2]`, `succeed [1, 2]`, …) so a failure shows the whole exchange.
@Suite("Group commit machine")
struct GroupCommitMachineTests {
    typealias Machine = GroupCommitMachine<Int>

    static func machine(maxBatch: Int = 4, flushes: Int = 1, lingers: Bool = false, queue: Int = 100) -> Machine {
        Machine(limits: GroupCommitLimits(maxBatch: maxBatch, flushes: flushes, lingers: lingers, maxQueuedCommands: queue))
    }

    static func id(_ value: UInt64) -> GroupCommitFlushID { GroupCommitFlushID(value) }

    @Test func itemsTravelInTheOrderTheyCameAndABatchTakesNoMoreThanItsBound() {
        var machine = Self.machine(maxBatch: 4)
        #expect(machine.submit(1).text == ["flush 1 [1]"], "an idle slot takes the first item at once")
        for item in 2...7 { #expect(machine.submit(item).text == [], "the one slot is busy: \(item) waits") }
        #expect(machine.queuedCount == 6)
        #expect(machine.flushSucceeded(Self.id(1)).text == ["succeed [1]", "flush 2 [2, 3, 4, 5]"])
        #expect(machine.flushSucceeded(Self.id(2)).text == ["succeed [2, 3, 4, 5]", "flush 3 [6, 7]"])
        #expect(machine.flushSucceeded(Self.id(3)).text == ["succeed [6, 7]"])
        #expect(machine.statistics == GroupCommitStatistics(batches: 3, items: 7, largestBatch: 4))
        #expect(machine.runningFlushes == 0 && machine.queuedCount == 0)
    }

    @Test func noMoreFlushesRunThanAllowed() {
        var machine = Self.machine(maxBatch: 10, flushes: 2)
        #expect(machine.submit(1).text == ["flush 1 [1]"])
        #expect(machine.submit(2).text == ["flush 2 [2]"])
        #expect(machine.submit(3).text == [])
        #expect(machine.submit(4).text == [])
        #expect(machine.runningFlushes == 2)
        #expect(machine.flushSucceeded(Self.id(2)).text == ["succeed [2]", "flush 3 [3, 4]"], "the slot freed takes all that waits")
        #expect(machine.runningFlushes == 2)
        #expect(machine.flushSucceeded(Self.id(1)).text == ["succeed [1]"])
        #expect(machine.flushSucceeded(Self.id(3)).text == ["succeed [3, 4]"])
        #expect(machine.flushSucceeded(Self.id(3)).text == [], "a flush is reported once; a second report is ignored")
    }

    @Test func aPartialBatchLingersAndAFullOneGoesAtOnce() {
        var machine = Self.machine(maxBatch: 3, flushes: 2, lingers: true)
        #expect(machine.submit(1).text == ["linger 1"])
        #expect(machine.submit(2).text == [], "one linger at a time: the lingering slot will take it")
        #expect(machine.submit(3).text == ["flush 2 [1, 2, 3]"], "a full batch does not wait out the linger")
        #expect(machine.lingerElapsed(Self.id(1)).text == [], "the linger cut short finds nothing to do")
        #expect(machine.submit(4).text == ["linger 3"])
        #expect(machine.lingerElapsed(Self.id(3)).text == ["flush 4 [4]"], "when the linger ends the batch goes as it is")
        #expect(machine.flushSucceeded(Self.id(2)).text == ["succeed [1, 2, 3]"])
        #expect(machine.flushSucceeded(Self.id(4)).text == ["succeed [4]"])
    }

    @Test func anErrorOfTheWholeBatchRerunsEachItemAloneAndReachesOnlyItsCause() {
        var machine = Self.machine(maxBatch: 3, flushes: 1)
        _ = machine.submit(1)
        _ = machine.submit(2)
        _ = machine.submit(3)
        _ = machine.submit(4)
        #expect(machine.flushSucceeded(Self.id(1)).text == ["succeed [1]", "flush 2 [2, 3, 4]"])
        #expect(machine.submit(5).text == [])
        #expect(machine.flushFailed(Self.id(2), .wholeBatch).text == ["flush 3 [2] alone"], "back at the head, before 5")
        #expect(machine.flushSucceeded(Self.id(3)).text == ["succeed [2]", "flush 4 [3] alone"])
        #expect(machine.flushFailed(Self.id(4), .wholeBatch).text == ["fail [3]", "flush 5 [4] alone"], "alone, the error is its own")
        #expect(machine.flushSucceeded(Self.id(5)).text == ["succeed [4]", "flush 6 [5]"])
        #expect(machine.flushSucceeded(Self.id(6)).text == ["succeed [5]"])
        #expect(machine.statistics == GroupCommitStatistics(batches: 3, items: 5, largestBatch: 3), "re-runs are part of their batch")
    }

    @Test func aDatabaseOutOfReachFailsTheWholeBatchAtOnce() {
        var machine = Self.machine(maxBatch: 3, flushes: 1)
        _ = machine.submit(1)
        _ = machine.submit(2)
        _ = machine.submit(3)
        #expect(machine.flushFailed(Self.id(1), .unavailable).text == ["fail [1]", "flush 2 [2, 3]"])
        #expect(machine.flushFailed(Self.id(2), .unavailable).text == ["fail [2, 3]"])
    }

    @Test func aFullQueueRefusesWhatComesNext() {
        var machine = Self.machine(maxBatch: 10, flushes: 1, queue: 2)
        #expect(machine.submit(1).text == ["flush 1 [1]"], "an item in flight holds no place in the queue")
        #expect(machine.submit(2).text == [])
        #expect(machine.submit(3).text == [])
        #expect(machine.submit(4).text == ["reject 4 queueFull"])
        #expect(machine.flushSucceeded(Self.id(1)).text == ["succeed [1]", "flush 2 [2, 3]"])
        #expect(machine.submit(5).text == [], "the queue has room again")
    }

    @Test func shutdownFlushesWhatIsQueuedAndRefusesWhatComesAfter() {
        var machine = Self.machine(maxBatch: 10, flushes: 1, lingers: true)
        #expect(machine.submit(1).text == ["linger 1"])
        #expect(machine.submit(2).text == [])
        #expect(machine.shutdown().text == ["flush 2 [1, 2]"], "shutdown cuts the linger short")
        #expect(machine.submit(3).text == ["reject 3 shuttingDown"])
        #expect(machine.lingerElapsed(Self.id(1)).text == [])
        #expect(!machine.isDrained)
        #expect(machine.flushSucceeded(Self.id(2)).text == ["succeed [1, 2]", "drained"])
        #expect(machine.shutdown().text == ["drained"], "a second shutdown finds it drained")
    }

    @Test func shutdownBehindARunningFlushStillFlushesTheQueueAndAFailureReachesIt() {
        var machine = Self.machine(maxBatch: 10, flushes: 1)
        #expect(machine.submit(1).text == ["flush 1 [1]"])
        _ = machine.submit(2)
        _ = machine.submit(3)
        #expect(machine.shutdown().text == [], "the one slot is busy: the queue goes when it is free")
        #expect(machine.flushSucceeded(Self.id(1)).text == ["succeed [1]", "flush 2 [2, 3]"])
        #expect(machine.flushFailed(Self.id(2), .unavailable).text == ["fail [2, 3]", "drained"])
    }

    @Test func shutdownWithNothingQueuedIsDrainedAtOnce() {
        var machine = Self.machine()
        #expect(machine.shutdown().text == ["drained"])
        #expect(machine.submit(1).text == ["reject 1 shuttingDown"])
    }
}

extension GroupCommitMachine<Int>.Action {
    /// The action as the tests compare it.
    var text: String {
        switch self {
        case .flush(let id, let items, let isRetry): "flush \(id.value) \(items)\(isRetry ? " alone" : "")"
        case .linger(let id): "linger \(id.value)"
        case .succeed(let items): "succeed \(items)"
        case .fail(let items): "fail \(items)"
        case .reject(let item, let reason): "reject \(item) \(reason)"
        case .drained: "drained"
        }
    }
}

extension Array where Element == GroupCommitMachine<Int>.Action {
    var text: [String] { map(\.text) }
}
