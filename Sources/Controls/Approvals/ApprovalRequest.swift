import StrongroomKernel

/// Maker-checker's state machine for one request: pending until enough distinct people
/// approve it, someone in the group rejects it, its maker withdraws it, or its time runs out.
///
/// A value with no I/O: each input returns an `ApprovalOutcome` whose actions the shell
/// performs in the same unit of work as it stores the new state, so a decision and its
/// effect commit together or not at all. Because an ended request refuses every input, and
/// only the input that ends it returns `carryOut` or `releaseHold`, the held action is carried
/// out at most once, the hold released at most once, and never both. The store keeps that
/// true across processes by deciding on the row it has locked.
///
/// Refusals, in the order they are checked: a comment too long (422); a request already
/// ended (409 `approvalClosed`); a request whose time has run out, which the input expires
/// before refusing it (409); then, for approve and reject, a machine client (403
/// `clientCannotApprove`), the maker (403 `makerCannotApprove`), a person who already
/// decided (409 `alreadyDecided`), a caller outside the group (403 `notAnApprover`), a digest
/// other than the request's (409 `approvalDigestMismatch`); for withdraw, anyone but the maker
/// (403 `onlyMakerWithdraws`).
public struct ApprovalRequest: Sendable, Equatable {
    public static let maxCommentCharacters = 1_000

    public let id: String
    public let maker: ApprovalParty
    public let hold: ApprovalHold
    /// The digest of the request's `ApprovalContent`.
    public let digest: String
    public let createdAt: Timestamp
    public private(set) var state: ApprovalState
    /// The approvals so far, each from a different person, in the order they came.
    public private(set) var approvals: [ApprovalDecision]
    /// The decision that ended the request (the last approval, a rejection, the withdrawal
    /// or the expiry); nil while pending.
    public private(set) var ending: ApprovalDecision?

    /// A new pending request for what `hold` holds, made by `maker` at `createdAt`.
    public init(id: String, maker: ApprovalParty, hold: ApprovalHold, digest: String, createdAt: Timestamp) {
        self.id = id
        self.maker = maker
        self.hold = hold
        self.digest = digest
        self.createdAt = createdAt
        self.state = .pending
        self.approvals = []
        self.ending = nil
    }

    /// A request as the store kept it, to feed it its next input: the state, the approvals
    /// and the ending this machine produced and the store wrote in the same unit of work.
    public init(
        id: String, maker: ApprovalParty, hold: ApprovalHold, digest: String, createdAt: Timestamp, state: ApprovalState,
        approvals: [ApprovalDecision], ending: ApprovalDecision?
    ) {
        self.id = id
        self.maker = maker
        self.hold = hold
        self.digest = digest
        self.createdAt = createdAt
        self.state = state
        self.approvals = approvals
        self.ending = ending
    }

    public var expiresAt: Timestamp { hold.expiresAt }
    public var requiredApprovals: Int { hold.requirement.approvals }
    public var group: String { hold.requirement.group }

    /// An approval by `party`, who belongs to `groups` now. `digest`, when given, is the one
    /// the approver was shown, and must be the request's.
    public mutating func approve(
        by party: ApprovalParty, groups: Set<String>, comment: String? = nil, digest: String? = nil, at: Timestamp
    ) -> ApprovalOutcome {
        if let refused = checkDecider(party, groups: groups, comment: comment, at: at) { return refused }
        if let digest, digest != self.digest {
            return .refused(.approvalDigestMismatch, "The request's content digest is \(self.digest), not \(digest).")
        }
        let decision = ApprovalDecision(verdict: .approve, by: party, comment: comment, at: at)
        approvals.append(decision)
        guard approvals.count >= requiredApprovals else { return ApprovalOutcome(actions: [.record(decision)]) }
        end(.approved, by: decision)
        return ApprovalOutcome(actions: [.record(decision), .carryOut])
    }

    /// A rejection by `party`, who belongs to `groups` now: one checker's no ends the request.
    public mutating func reject(by party: ApprovalParty, groups: Set<String>, comment: String? = nil, at: Timestamp) -> ApprovalOutcome {
        if let refused = checkDecider(party, groups: groups, comment: comment, at: at) { return refused }
        let decision = ApprovalDecision(verdict: .reject, by: party, comment: comment, at: at)
        end(.rejected, by: decision)
        return ApprovalOutcome(actions: [.record(decision), .releaseHold])
    }

    /// The maker takes the request back.
    public mutating func withdraw(by party: ApprovalParty, at: Timestamp) -> ApprovalOutcome {
        if let refused = checkOpen(at: at) { return refused }
        guard party == maker else { return .refused(.onlyMakerWithdraws, "Only the maker of approval request \(id) can withdraw it.") }
        let decision = ApprovalDecision(verdict: .withdraw, by: party, comment: nil, at: at)
        end(.withdrawn, by: decision)
        return ApprovalOutcome(actions: [.record(decision), .releaseHold])
    }

    /// The sweeper's input: ends a pending request whose time has run out by `now`; before
    /// then nothing happens.
    public mutating func expire(now: Timestamp) -> ApprovalOutcome {
        guard !state.isEnded else { return .refused(.approvalClosed, "Approval request \(id) has already ended (\(state.rawValue)).") }
        guard now >= expiresAt else { return .nothing }
        return expireNow(at: now)
    }

    // MARK: The checks

    /// The refusal, if any, of a decision to approve or reject.
    private mutating func checkDecider(_ party: ApprovalParty, groups: Set<String>, comment: String?, at: Timestamp) -> ApprovalOutcome? {
        if let comment, comment.count > Self.maxCommentCharacters {
            return ApprovalOutcome(
                refusal: StrongroomError(
                    .invalidValue, "The comment is longer than \(Self.maxCommentCharacters) characters.",
                    fields: [.init(field: "comment", message: "must be at most \(Self.maxCommentCharacters) characters")]
                )
            )
        }
        if let refused = checkOpen(at: at) { return refused }
        guard party.isPerson else {
            return .refused(.clientCannotApprove, "A machine client cannot approve or reject a request; a person must.")
        }
        guard party != maker else {
            return .refused(.makerCannotApprove, "The maker of approval request \(id) cannot decide it; withdraw it instead.")
        }
        guard !approvals.contains(where: { $0.by == party }) else {
            return .refused(.alreadyDecided, "\(party) has already decided approval request \(id).")
        }
        guard groups.contains(group) else {
            return .refused(.notAnApprover, "Approval request \(id) needs approvals from group '\(group)'.")
        }
        return nil
    }

    /// The refusal of any input to an ended request, or the expiry of one whose time has run out.
    private mutating func checkOpen(at: Timestamp) -> ApprovalOutcome? {
        guard !state.isEnded else { return .refused(.approvalClosed, "Approval request \(id) has already ended (\(state.rawValue)).") }
        guard at < expiresAt else {
            let expiry = expireNow(at: at)
            return .refused(.approvalClosed, "Approval request \(id) expired at \(expiresAt).", after: expiry.actions)
        }
        return nil
    }

    private mutating func expireNow(at: Timestamp) -> ApprovalOutcome {
        let decision = ApprovalDecision(verdict: .expire, by: nil, comment: nil, at: at)
        end(.expired, by: decision)
        return ApprovalOutcome(actions: [.record(decision), .releaseHold])
    }

    private mutating func end(_ state: ApprovalState, by decision: ApprovalDecision) {
        self.state = state
        ending = decision
    }
}
