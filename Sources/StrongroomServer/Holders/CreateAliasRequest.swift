import Bookkeeping
import StrongroomEdge
import StrongroomKernel

/// `POST /v1/holders/{id}/aliases`: Midaz's `CreateAliasRequest`. `relatedParties` (people's
/// names and documents) are checked (`RelatedParty.validated`) and sealed under the holder's
/// data key (`AliasRelatedParties`); null or absent is none. `regulatoryFields` is not
/// implemented (null only).
struct CreateAliasRequest: StrictDecodable, Encodable, Sendable {
    let ledgerId: String
    let accountId: String
    let bankingDetails: AliasBankingDetails?
    let metadata: Metadata?
    let relatedParties: [RelatedParty.Input]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ledgerId, accountId, bankingDetails, metadata, relatedParties
    }

    static var shape: BodyShape {
        .object(CodingKeys.self, required: [.ledgerId, .accountId], nested: Self.nested)
            .adding(["regulatoryFields": .some(.unsupported)])
    }

    /// The nested fields of both alias bodies.
    static let nested: [String: BodyShape] = [
        "bankingDetails": AliasBankingDetails.shape, "metadata": .free, "relatedParties": .array(RelatedParty.shape),
    ]
}
