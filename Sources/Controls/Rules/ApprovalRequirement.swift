import StrongroomKernel

/// What a rule that holds asks for: this many approvals, each from a different person in
/// the named group, before the request expires.
public struct ApprovalRequirement: Sendable, Hashable {
    public static let approvalsRange = 1...10
    /// An hour to a week: shorter leaves checkers no time, longer leaves money on hold.
    public static let expirySecondsRange: ClosedRange<Int64> = 3_600...604_800
    public static let defaultExpirySeconds: Int64 = 86_400

    public let approvals: Int
    /// The identity group whose members may approve.
    public let group: String
    /// How long a request stays open, from when it is made.
    public let expirySeconds: Int64

    /// The requirement, or a 422 naming every bad field among `approvals`, `group` and
    /// `expiry_seconds`. Group names follow the identity rule: 1 to 64 lower-case letters,
    /// digits and `._-`, starting with a letter or digit.
    public init(approvals: Int, group: String, expirySeconds: Int64 = Self.defaultExpirySeconds) throws(StrongroomError) {
        var problems = FieldProblems()
        Self.check(approvals: approvals, group: group, expirySeconds: expirySeconds, into: &problems)
        try problems.throwIfAny("The approval requirement")
        self.approvals = approvals
        self.group = group
        self.expirySeconds = expirySeconds
    }

    static func check(approvals: Int?, group: String?, expirySeconds: Int64?, into problems: inout FieldProblems) {
        if let approvals {
            if !approvalsRange.contains(approvals) {
                problems.add("approvals", "must be from \(approvalsRange.lowerBound) to \(approvalsRange.upperBound)")
            }
        } else {
            problems.add("approvals", "is required")
        }
        if let group {
            if !isGroupName(group) {
                problems.add("group", "must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
            }
        } else {
            problems.add("group", "is required")
        }
        if let expirySeconds, !expirySecondsRange.contains(expirySeconds) {
            problems.add("expiry_seconds", "must be from 3600 (1 hour) to 604800 (7 days)")
        }
    }

    /// Identity's group name rule, restated: Controls does not import Identity, and the store
    /// still checks the group exists when the rule is saved.
    static func isGroupName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, (1...64).contains(name.unicodeScalars.count) else { return false }
        let letterOrDigit: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return letterOrDigit(first) && name.unicodeScalars.allSatisfy { letterOrDigit($0) || "._-".unicodeScalars.contains($0) }
    }
}
