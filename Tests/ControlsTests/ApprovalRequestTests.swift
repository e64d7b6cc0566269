import Controls
import PropertyBased
import StrongroomKernel
import Testing

/// The approval request's state machine: each refusal with its code, and, over random
/// sequences of inputs, exactly-once carrying out and releasing.
@Suite struct ApprovalRequestTests {
    static let start = Timestamp(microsecondsSinceEpoch: 1_796_000_000_000_000)
    static let maker = ApprovalParty.user(id: "maker")
    static let digest = String(repeating: "ab", count: 32)
    static let checkers: Set<String> = ["checkers"]

    static func request(approvals: Int = 2, expirySeconds: Int64 = 86_400, maker: ApprovalParty = maker) throws -> ApprovalRequest {
        let requirement = try ApprovalRequirement(approvals: approvals, group: "checkers", expirySeconds: expirySeconds)
        let hold = ApprovalHold(ruleID: "rule", ruleVersion: 1, requirement: requirement, expiresAt: start.adding(seconds: expirySeconds))
        return ApprovalRequest(id: "request", maker: maker, hold: hold, digest: digest, createdAt: start)
    }

    static func at(_ seconds: Int64) -> Timestamp { start.adding(seconds: seconds) }

    @Test("two distinct approvers carry it out once; the maker never counts")
    func approvedByTwo() throws {
        var request = try Self.request()
        let own = request.approve(by: Self.maker, groups: Self.checkers, at: Self.at(1))
        #expect(own.refusal?.code == .makerCannotApprove)
        #expect(own.refusal?.kind == .forbidden)
        #expect(own.actions.isEmpty)
        let first = request.approve(by: .user(id: "ann"), groups: Self.checkers, comment: "ok", digest: Self.digest, at: Self.at(2))
        #expect(first.refusal == nil)
        #expect(first.actions.count == 1)
        #expect(request.state == .pending)
        let again = request.approve(by: .user(id: "ann"), groups: Self.checkers, at: Self.at(3))
        #expect(again.refusal?.code == .alreadyDecided)
        #expect(again.refusal?.kind == .conflict)
        let second = request.approve(by: .external(issuer: "https://idp", subject: "bob"), groups: Self.checkers, at: Self.at(4))
        #expect(second.actions.last == .carryOut)
        #expect(request.state == .approved)
        #expect(request.ending?.verdict == .approve)
        let late = request.approve(by: .user(id: "cat"), groups: Self.checkers, at: Self.at(5))
        #expect(late.refusal?.code == .approvalClosed)
        #expect(late.actions.isEmpty)
    }

    @Test("machine clients, people outside the group and a wrong digest are refused with their codes")
    func refusals() throws {
        var request = try Self.request()
        #expect(request.approve(by: .client(id: "bot"), groups: Self.checkers, at: Self.at(1)).refusal?.code == .clientCannotApprove)
        #expect(request.reject(by: .client(id: "bot"), groups: Self.checkers, at: Self.at(1)).refusal?.code == .clientCannotApprove)
        #expect(request.approve(by: .user(id: "ann"), groups: ["others"], at: Self.at(1)).refusal?.code == .notAnApprover)
        #expect(request.approve(by: .user(id: "ann"), groups: Self.checkers, digest: "00", at: Self.at(1)).refusal?.code == .approvalDigestMismatch)
        #expect(request.reject(by: Self.maker, groups: Self.checkers, at: Self.at(1)).refusal?.code == .makerCannotApprove)
        #expect(request.withdraw(by: .user(id: "ann"), at: Self.at(1)).refusal?.code == .onlyMakerWithdraws)
        let long = request.approve(by: .user(id: "ann"), groups: Self.checkers, comment: String(repeating: "x", count: 1_001), at: Self.at(1))
        #expect(long.refusal?.code == .invalidValue)
        #expect(long.refusal?.fields.map(\.field) == ["comment"])
        #expect(request.approvals.isEmpty, "no refused input counted")
        #expect(request.state == .pending)
    }

    @Test("a machine client may make a request that people approve")
    func clientMaker() throws {
        var request = try Self.request(approvals: 1, maker: .client(id: "bot"))
        #expect(request.approve(by: .user(id: "ann"), groups: Self.checkers, at: Self.at(1)).actions.last == .carryOut)
    }

    @Test("a rejection, a withdrawal or an expiry releases the hold once")
    func endings() throws {
        var rejected = try Self.request()
        #expect(rejected.reject(by: .user(id: "ann"), groups: Self.checkers, comment: "no", at: Self.at(1)).actions.last == .releaseHold)
        #expect(rejected.state == .rejected)
        #expect(rejected.reject(by: .user(id: "bob"), groups: Self.checkers, at: Self.at(2)).refusal?.code == .approvalClosed)

        var withdrawn = try Self.request()
        #expect(withdrawn.withdraw(by: Self.maker, at: Self.at(1)).actions.last == .releaseHold)
        #expect(withdrawn.withdraw(by: Self.maker, at: Self.at(2)).refusal?.code == .approvalClosed)

        var expired = try Self.request(expirySeconds: 3_600)
        #expect(expired.expire(now: Self.at(3_599)) == .nothing)
        #expect(expired.expire(now: Self.at(3_600)).actions.last == .releaseHold)
        #expect(expired.state == .expired)
        #expect(expired.expire(now: Self.at(3_601)).actions.isEmpty)
    }

    @Test("an approval after the request's time expires it, releases the hold, and is refused")
    func approvalAfterExpiry() throws {
        var request = try Self.request(approvals: 1, expirySeconds: 3_600)
        let late = request.approve(by: .user(id: "ann"), groups: Self.checkers, at: Self.at(3_600))
        #expect(late.refusal?.code == .approvalClosed)
        #expect(late.actions.last == .releaseHold)
        #expect(request.state == .expired)
        #expect(request.approvals.isEmpty)
    }

    @Test("a request read back from the store goes on where it stopped")
    func restored() throws {
        var request = try Self.request()
        _ = request.approve(by: .user(id: "ann"), groups: Self.checkers, at: Self.at(1))
        var stored = ApprovalRequest(
            id: request.id, maker: request.maker, hold: request.hold, digest: request.digest, createdAt: request.createdAt,
            state: request.state, approvals: request.approvals, ending: request.ending
        )
        #expect(stored == request)
        #expect(stored.approve(by: .user(id: "ann"), groups: Self.checkers, at: Self.at(2)).refusal?.code == .alreadyDecided)
        #expect(stored.approve(by: .user(id: "bob"), groups: Self.checkers, at: Self.at(2)).actions.last == .carryOut)
        var ended = ApprovalRequest(
            id: stored.id, maker: stored.maker, hold: stored.hold, digest: stored.digest, createdAt: stored.createdAt, state: stored.state,
            approvals: stored.approvals, ending: stored.ending
        )
        #expect(ended.reject(by: .user(id: "cat"), groups: Self.checkers, at: Self.at(3)).refusal?.code == .approvalClosed)
    }

    @Test("eligible approvers: people in the group other than the maker; clients never count")
    func eligibility() throws {
        let two = try ApprovalRequirement(approvals: 2, group: "checkers")
        let members: Set<ApprovalParty> = [Self.maker, .user(id: "ann"), .client(id: "bot")]
        #expect(two.eligibleApprovers(among: members, maker: Self.maker) == 1)
        #expect(two.eligibleApprovers(among: members, maker: .client(id: "bot")) == 2)
        #expect(two.eligibleApprovers(among: members, maker: nil) == 1, "with no maker yet, one member is set aside")
        #expect(two.eligibleApprovers(among: [], maker: nil) == 0)
        #expect(throws: StrongroomError.self) { try two.checkEligibleApprovers(among: members) }
        do {
            try two.checkEligibleApprovers(among: members)
        } catch {
            #expect(error.code == .noEligibleApprovers)
            #expect(error.fields.map(\.field) == ["group"])
        }
        try two.checkEligibleApprovers(among: members.union([.external(issuer: "https://idp", subject: "bob")]))
        try two.checkEligibleApprovers(among: members, maker: .client(id: "bot"))
    }

    /// One input drawn for the property test.
    enum Input: CustomStringConvertible {
        case approve(ApprovalParty, inGroup: Bool)
        case reject(ApprovalParty, inGroup: Bool)
        case withdraw(ApprovalParty)
        case expire

        var description: String {
            switch self {
            case .approve(let party, let inGroup): "approve(\(party), inGroup: \(inGroup))"
            case .reject(let party, let inGroup): "reject(\(party), inGroup: \(inGroup))"
            case .withdraw(let party): "withdraw(\(party))"
            case .expire: "expire"
            }
        }
    }

    static let parties: [ApprovalParty] = [
        maker, .user(id: "ann"), .user(id: "bob"), .user(id: "cat"), .external(issuer: "https://idp", subject: "ann"),
        .external(issuer: "https://other", subject: "ann"), .client(id: "bot"),
    ]

    static func input(_ pick: (kind: Int, party: Int, inGroup: Bool)) -> Input {
        let party = parties[pick.party % parties.count]
        switch pick.kind {
        case 0...5: return .approve(party, inGroup: pick.inGroup)
        case 6: return .reject(party, inGroup: pick.inGroup)
        case 7: return .withdraw(party)
        default: return .expire
        }
    }

    @Test("any sequence of inputs: carried out at most once, released at most once, never both, only after N distinct people other than the maker")
    func exactlyOnce() async {
        let picks = zip(Gen.int(in: 0...8), Gen.int(in: 0...20), Gen.bool()).map { Self.input($0) }
        let inputs = picks.array(of: 0...24)
        let steps = Gen.int64(in: 0...7_200).array(of: 24)
        await propertyCheck(count: 3_000, input: inputs, Gen.int(in: 1...4), steps) { inputs, approvals, steps in
            var request = try Self.request(approvals: approvals, expirySeconds: 3_600 * 4)
            var now = Self.start
            var carried = 0
            var released = 0
            var counted: [ApprovalParty] = []
            for (index, input) in inputs.enumerated() {
                now = now.adding(seconds: steps[index % steps.count])
                let wasEnded = request.state.isEnded
                let outcome: ApprovalOutcome
                switch input {
                case .approve(let party, let inGroup):
                    outcome = request.approve(by: party, groups: inGroup ? Self.checkers : [], at: now)
                    if outcome.refusal == nil { counted.append(party) }
                case .reject(let party, let inGroup): outcome = request.reject(by: party, groups: inGroup ? Self.checkers : [], at: now)
                case .withdraw(let party): outcome = request.withdraw(by: party, at: now)
                case .expire: outcome = request.expire(now: now)
                }
                if wasEnded { #expect(outcome.actions.isEmpty, "an ended request did something on \(input)") }
                carried += outcome.actions.filter { $0 == .carryOut }.count
                released += outcome.actions.filter { $0 == .releaseHold }.count
                if outcome.actions.contains(.carryOut) {
                    #expect(Set(counted).count == approvals && counted.count == approvals, "carried out after \(counted)")
                }
            }
            #expect(carried <= 1 && released <= 1 && carried + released <= 1, "carried \(carried), released \(released) over \(inputs)")
            #expect(!counted.contains(Self.maker))
            #expect(counted.allSatisfy { $0.isPerson })
            #expect(Set(counted).count == counted.count, "someone counted twice: \(counted)")
            #expect((request.state == .approved) == (carried == 1))
            #expect(request.state.isEnded == (carried + released == 1))
            #expect(request.approvals.map(\.by) == counted.map { Optional($0) })
        }
    }
}
