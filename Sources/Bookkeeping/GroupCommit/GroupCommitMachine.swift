/// The decisions of group commit, with no clock and no I/O, in the shape of postgres-nio's
/// `PoolStateMachine`: each event is a mutating method that returns the actions a thin shell
/// performs (start a flush, wait out a linger, answer requests). The shell (the server's
/// `GroupCommitter`) holds this value under a lock and does nothing it is not told to, so
/// every rule about batching, concurrency, failure and shutdown is here, where a test and a
/// seeded simulation can drive it step by step.
///
/// `Item` is whatever the shell queues: in the server a posting submission with its
/// continuation. The machine never looks inside one; it only decides when it travels and
/// who answers it.
///
/// A flush slot is one of `limits.flushes`: it is idle, lingering (held for a partial batch
/// that may fill), or running one flush. Each queued item leaves the queue in one flush, in
/// the order it came, and is answered once: by `succeed` or `fail` when its flush ends, or
/// by `reject` at once if it was never queued. A flush that fails as a whole with an error
/// one of its items may have caused puts its items back at the head of the queue, each to
/// run alone, so the error reaches only its cause.
public struct GroupCommitMachine<Item> {
    /// What the shell must do. The actions of one event are performed in order.
    public enum Action {
        /// Commit these items in one unit of work, then report `flushSucceeded(_:)` or
        /// `flushFailed(_:_:)` with this id. `isRetry` marks an item re-run alone after its
        /// batch failed: it is part of that batch's flush, not a new one.
        case flush(GroupCommitFlushID, [Item], isRetry: Bool)
        /// Wait the max-wait linger, then report `lingerElapsed(_:)` with this id.
        case linger(GroupCommitFlushID)
        /// The flush committed: answer each item with its own result, in this order.
        case succeed([Item])
        /// The flush failed: answer each item with the flush's error.
        case fail([Item])
        /// Answer this item now: it was not queued.
        case reject(Item, GroupCommitRejection)
        /// Shutdown has begun and nothing is queued or in flight any more.
        case drained
    }

    fileprivate struct Queued {
        let item: Item
        /// Re-run alone after its batch failed as a whole.
        let alone: Bool
    }

    public let limits: GroupCommitLimits
    public private(set) var statistics = GroupCommitStatistics()
    /// Waiting items from `head` on; the taken prefix is dropped once it outweighs the rest,
    /// so taking a batch does not move the whole queue.
    private var queue: [Queued] = []
    private var head = 0
    private var idleSlots: Int
    /// The slot held for a partial batch, if one is; at most one lingers at a time.
    private var lingering: GroupCommitFlushID?
    private var inFlight: [GroupCommitFlushID: [Item]] = [:]
    private var lastID: UInt64 = 0
    public private(set) var isShuttingDown = false

    /// `limits` must be usable (`GroupCommitLimits.areUsable`); the shell checks them once.
    public init(limits: GroupCommitLimits) {
        self.limits = limits
        self.idleSlots = limits.flushes
    }

    /// How many items wait for a flush (in flight ones not counted).
    public var queuedCount: Int { queue.count - head }
    /// How many flushes are running now.
    public var runningFlushes: Int { inFlight.count }
    /// Whether shutdown has begun and everything queued before it has been answered.
    public var isDrained: Bool { isShuttingDown && queuedCount == 0 && inFlight.isEmpty }

    // MARK: Events

    /// A request arrives: it is queued (and perhaps flushed at once), or refused when the
    /// queue is full or shutdown has begun.
    public mutating func submit(_ item: Item) -> [Action] {
        if isShuttingDown { return [.reject(item, .shuttingDown)] }
        if queuedCount >= limits.maxQueuedCommands { return [.reject(item, .queueFull)] }
        queue.append(Queued(item: item, alone: false))
        var actions: [Action] = []
        dispatch(into: &actions)
        return actions
    }

    /// The flush `id` committed: its items are answered, its slot takes the next batch.
    public mutating func flushSucceeded(_ id: GroupCommitFlushID) -> [Action] {
        guard let items = inFlight.removeValue(forKey: id) else { return [] }
        idleSlots += 1
        var actions: [Action] = [.succeed(items)]
        dispatch(into: &actions)
        return actions
    }

    /// The flush `id` failed as a whole. An error one item may have caused sends each item of
    /// a batch back to run alone; an item that already ran alone, or a database out of reach,
    /// is answered with the error.
    public mutating func flushFailed(_ id: GroupCommitFlushID, _ failure: GroupCommitFailure) -> [Action] {
        guard let items = inFlight.removeValue(forKey: id) else { return [] }
        idleSlots += 1
        var actions: [Action] = []
        if failure == .wholeBatch, items.count > 1 {
            requeueAlone(items)
        } else {
            actions.append(.fail(items))
        }
        dispatch(into: &actions)
        return actions
    }

    /// The linger `id` has waited its time: what is queued goes now, full or not. A linger
    /// that a full batch or shutdown already ended is ignored.
    public mutating func lingerElapsed(_ id: GroupCommitFlushID) -> [Action] {
        guard lingering == id else { return [] }
        lingering = nil
        idleSlots += 1
        var actions: [Action] = []
        if queuedCount > 0, let slot = takeSlot() {
            startFlush(slot, into: &actions)
        }
        dispatch(into: &actions)
        return actions
    }

    /// Shutdown begins: everything queued is flushed now (a linger is cut short) and answered
    /// by its flush; every later submission is refused. `drained` comes once nothing is left,
    /// here or from the flush that ends last; a second call answers `drained` when done.
    public mutating func shutdown() -> [Action] {
        if isDrained { return [.drained] }
        isShuttingDown = true
        var actions: [Action] = []
        dispatch(into: &actions)
        return actions
    }

    // MARK: Decisions

    /// Starts every flush the queue and the idle slots allow, or a linger for a partial
    /// batch; announces the end of a shutdown.
    private mutating func dispatch(into actions: inout [Action]) {
        while queuedCount > 0 {
            let ready = queue[head].alone || queuedCount >= limits.maxBatch || !limits.lingers || isShuttingDown
            if !ready {
                if lingering == nil, idleSlots > 0 {
                    idleSlots -= 1
                    let id = nextID()
                    lingering = id
                    actions.append(.linger(id))
                }
                break
            }
            guard let slot = takeSlot() else { break }
            startFlush(slot, into: &actions)
        }
        if isDrained { actions.append(.drained) }
    }

    /// A slot for a flush: the lingering one first (its batch is the one going), else an idle
    /// one. Its id is new, so the linger's timer, when it fires, finds nothing to do.
    private mutating func takeSlot() -> GroupCommitFlushID? {
        if lingering != nil {
            lingering = nil
        } else if idleSlots > 0 {
            idleSlots -= 1
        } else {
            return nil
        }
        return nextID()
    }

    /// Takes the next batch off the queue: one item that runs alone, or up to `maxBatch`
    /// items that came in together.
    private mutating func startFlush(_ id: GroupCommitFlushID, into actions: inout [Action]) {
        let first = queue[head]
        var batch: [Item]
        if first.alone {
            batch = [first.item]
            head += 1
        } else {
            let end = min(queue.count, head + limits.maxBatch)
            batch = []
            batch.reserveCapacity(end - head)
            while head < end, !queue[head].alone {
                batch.append(queue[head].item)
                head += 1
            }
            statistics.batches += 1
            statistics.items += batch.count
            statistics.largestBatch = max(statistics.largestBatch, batch.count)
        }
        compactQueue()
        inFlight[id] = batch
        actions.append(.flush(id, batch, isRetry: first.alone))
    }

    /// Puts a failed batch's items back at the head of the queue, behind any items already
    /// waiting to run alone (which came earlier), each to run alone.
    private mutating func requeueAlone(_ items: [Item]) {
        var position = head
        while position < queue.count, queue[position].alone { position += 1 }
        queue.insert(contentsOf: items.map { Queued(item: $0, alone: true) }, at: position)
    }

    private mutating func compactQueue() {
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head > queue.count / 2 {
            queue.removeFirst(head)
            head = 0
        }
    }

    private mutating func nextID() -> GroupCommitFlushID {
        lastID += 1
        return GroupCommitFlushID(lastID)
    }
}

extension GroupCommitMachine: Sendable where Item: Sendable {}
extension GroupCommitMachine.Action: Sendable where Item: Sendable {}
extension GroupCommitMachine.Queued: Sendable where Item: Sendable {}
