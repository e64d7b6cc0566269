/// Where an approval request is: pending until it ends in one of the four other states, and
/// an ended request never changes again.
public enum ApprovalState: String, Sendable, Hashable, CaseIterable {
    case pending
    case approved
    case rejected
    case withdrawn
    case expired

    public var isEnded: Bool { self != .pending }
}
