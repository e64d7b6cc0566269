/// One read of the outbox after a cursor: the events in order, and how far the retention
/// sweep had deleted when the page was read.
public struct EventPage: Sendable, Equatable {
    /// Ascending by `seq`, all after the cursor, at most the limit asked for.
    public let events: [StoredEvent]
    /// The highest `seq` the retention sweep has deleted through (0 before any sweep),
    /// read after the events, so a sweep that ran before the events were read shows here.
    public let purgedThrough: Int64

    public init(events: [StoredEvent], purgedThrough: Int64) {
        self.events = events
        self.purgedThrough = purgedThrough
    }

    /// Whether a reader at `cursor` has missed events the sweep deleted: some event after
    /// the cursor is gone, so the page cannot continue the reader's stream.
    public func missesEvents(after cursor: Int64) -> Bool { cursor < purgedThrough }
}
