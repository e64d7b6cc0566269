import Crypto
import StrongroomKernel

/// What an approval request asks to have done, as the approvers see it, and the digest that
/// binds the request to it. The request cannot be edited: a different content is a different
/// digest, and an approval sent with the digest its approver saw is refused when it differs.
public struct ApprovalContent: Sendable, Equatable {
    /// `posting` for a held transaction, or the administrative action's name.
    public let action: String
    public let organizationID: String
    public let ledgerID: String?
    public let maker: ApprovalParty
    /// What is held, as canonical JSON rendered by its owner (sorted keys, no secrets): the
    /// transaction's body, or the action's stored request.
    public let body: [UInt8]

    public init(action: String, organizationID: String, ledgerID: String?, maker: ApprovalParty, body: [UInt8]) {
        self.action = action
        self.organizationID = organizationID
        self.ledgerID = ledgerID
        self.maker = maker
        self.body = body
    }

    /// The rendering the digest is taken over: `{"action","body","ledger_id","maker",
    /// "organization_id"}` with keys sorted and `ledger_id` absent when there is none.
    public var canonical: [UInt8] {
        var json = SortedJSONWriter(capacity: body.count + 256)
        json.beginObject()
        json.member("action", action)
        json.key("body")
        json.json(body)
        json.member("ledger_id", ifPresent: ledgerID)
        json.member("maker", maker)
        json.member("organization_id", organizationID)
        json.endObject()
        return json.bytes
    }

    /// SHA-256 of `canonical`, as 64 lower-case hex digits.
    public var digest: String {
        Hex.string(SHA256.hash(data: canonical))
    }
}
