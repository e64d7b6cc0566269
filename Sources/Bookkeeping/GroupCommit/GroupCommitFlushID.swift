/// Names one flush or one linger, so the shell's report of its end reaches the right one,
/// and a linger cut short by a full batch is recognised when its timer fires anyway.
public struct GroupCommitFlushID: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public var description: String { "flush \(value)" }
}
