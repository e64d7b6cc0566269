import Events

/// One event as the outbox holds it: its envelope and its place in the stream (`seq`, the
/// pull API's cursor).
public struct StoredEvent: Sendable, Equatable {
    public let seq: Int64
    public let envelope: EventEnvelope

    public init(seq: Int64, envelope: EventEnvelope) {
        self.seq = seq
        self.envelope = envelope
    }
}
