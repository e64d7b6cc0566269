/// Which day a daily limit counts in: the UTC day, or the day in the organization's time
/// zone (which the caller supplies when deciding, so a change of zone needs no rule change).
public enum LimitDay: String, Sendable, Hashable, CaseIterable {
    case utc
    case organization
}
